package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/** A snapshot as shown to users; {@code tags} sorted. */
public record SnapshotInfo(String id, String shortId, String source, Instant time, String host, long files, long dirs,
    long bytes, long addedBytes, long incompleteFiles, List<String> tags) {}
