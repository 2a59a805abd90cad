package org.selfstorage.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a backup did. A snapshot with {@code incomplete} entries was committed, but those files
 * could not be stored consistently (unreadable, or changing while read); each entry says why.
 */
public record BackupResult(
    String snapshotId,
    String source,
    Instant time,
    long files,
    long dirs,
    long bytes,
    long filesRead,
    long bytesRead,
    long newBlobs,
    long addedBytes,
    long storedBytes,
    int dataShards,
    int parityShards,
    Duration elapsed,
    List<String> incomplete,
    List<String> warnings,
    List<String> tags) {

  public boolean complete() {
    return incomplete.isEmpty();
  }
}
