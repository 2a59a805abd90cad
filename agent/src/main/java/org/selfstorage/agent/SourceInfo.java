package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/** A source as shown to users; {@code excludes}: the patterns of what its backups leave out. */
public record SourceInfo(String name, String path, Instant addedAt, String schedule, Instant lastScheduledRun,
    List<String> excludes) {}
