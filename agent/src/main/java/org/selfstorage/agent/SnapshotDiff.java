package org.selfstorage.agent;

import java.util.List;

/**
 * What changed from one snapshot to another, entry by entry in path order.
 *
 * @param changes each changed entry; under an added or removed directory, every entry in it
 * @param bytesAdded sizes of the files added, plus growth of the files changed
 * @param bytesRemoved sizes of the files removed, plus shrinkage of the files changed
 */
public record SnapshotDiff(SnapshotInfo from, SnapshotInfo to, List<Change> changes, long bytesAdded,
    long bytesRemoved) {

  /**
   * One changed entry. {@code kind}: {@code +} added, {@code -} removed, {@code M} content (or a
   * link's target) changed, {@code T} type changed (a file became a directory, ...), {@code U} only
   * metadata (mode, owner, time) changed. {@code type}: the entry's type now (before, when removed).
   */
  public record Change(String kind, String path, String type) {}

  public long count(String kind) {
    return changes.stream().filter(c -> c.kind().equals(kind)).count();
  }
}
