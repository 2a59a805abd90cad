package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * A source as shown to users; {@code excludes}: the patterns of what its backups leave out; {@code
 * oneFileSystem}, {@code excludeCaches}: whether they also leave out the content of directories on
 * other file systems, and of those a CACHEDIR.TAG marks.
 */
public record SourceInfo(String name, String path, Instant addedAt, String schedule, Instant lastScheduledRun,
    List<String> excludes, boolean oneFileSystem, boolean excludeCaches) {}
