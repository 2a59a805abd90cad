package org.selfstorage.agent;

import java.time.Instant;

/** A snapshot as shown to users. */
public record SnapshotInfo(String id, String shortId, String source, Instant time, String host, long files, long dirs,
    long bytes, long addedBytes, long incompleteFiles) {}
