package org.selfstorage.agent;

import java.time.Instant;

/** A source as shown to users. */
public record SourceInfo(String name, String path, Instant addedAt, String schedule, Instant lastScheduledRun) {}
