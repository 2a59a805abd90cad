package org.selfstorage.catalog;

import java.time.Instant;

/**
 * One backup of one source at one time. {@code incompleteFiles} counts files that could not be
 * stored consistently (unreadable, or changing while read); 0 means complete.
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
    long incompleteFiles) {}
