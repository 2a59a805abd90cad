package org.selfstorage.agent;

import java.time.Instant;

/** An entry {@code find} found: in which snapshot, where, and what it was there. */
public record FoundEntry(String snapshot, String source, Instant snapshotTime, String path, String type, long size,
    Instant mtime) {}
