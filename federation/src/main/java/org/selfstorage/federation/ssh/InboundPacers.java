package org.selfstorage.federation.ssh;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * On the host: one pacer per partner (by hosted directory), shared by all its sessions and channels,
 * each at the rate this host allows every partner ({@code hosting.max-rate}).
 */
final class InboundPacers {
  private final Map<Path, UploadPacer> byRoot = new HashMap<>();
  private long bytesPerSecond;

  synchronized UploadPacer of(Path partnerRoot) {
    return byRoot.computeIfAbsent(partnerRoot, r -> {
      UploadPacer p = new UploadPacer();
      p.setRate(bytesPerSecond);
      return p;
    });
  }

  synchronized void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("a rate cannot be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    byRoot.values().forEach(p -> p.setRate(bytesPerSecond));
  }
}
