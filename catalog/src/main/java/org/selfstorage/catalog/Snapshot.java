package org.selfstorage.catalog;

import java.time.Instant;
import java.util.List;

/**
 * One backup of one source at one time. {@code incompleteFiles} counts files that could not be
 * stored consistently (unreadable, or changing while read); 0 means complete. {@code tags}: the
 * labels a user gave it, sorted.
 */
public record Snapshot(
    SnapshotId id,
    long sourceId,
    Instant time,
    BlobId rootTree,
    String host,
    long files,
    long dirs,
    long bytes,
    long addedBytes,
    long incompleteFiles,
    List<String> tags) {
  public Snapshot {
    tags = List.copyOf(new java.util.TreeSet<>(tags));
  }

  /** A snapshot without tags. */
  public Snapshot(SnapshotId id, long sourceId, Instant time, BlobId rootTree, String host, long files, long dirs,
      long bytes, long addedBytes, long incompleteFiles) {
    this(id, sourceId, time, rootTree, host, files, dirs, bytes, addedBytes, incompleteFiles, List.of());
  }
}
