package org.selfstorage.agent;

import java.time.Instant;

/** One entry of a snapshot, for {@code ls}. */
public record EntryInfo(String path, String type, String mode, long size, Instant mtime, String linkTarget,
    String incomplete) {}
