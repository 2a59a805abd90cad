package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * What would be lost if a partner (or store) vanished now: the packs by the state they would be in
 * with its shards gone (and the other stores as they are now), and, for packs that would be lost,
 * the snapshots with files that could no longer be restored.
 */
public record IfLostReport(String partner, long shardsOnIt, StatusReport.PackHealth packs,
    List<SnapshotLoss> snapshots) {

  /** A snapshot that would lose {@code files} files ({@code bytes} bytes of their contents). */
  public record SnapshotLoss(String snapshot, String source, Instant time, long files, long bytes) {}

  public boolean losesData() {
    return packs.lost() > 0;
  }
}
