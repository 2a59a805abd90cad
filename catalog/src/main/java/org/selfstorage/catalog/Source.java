package org.selfstorage.catalog;

import java.time.Instant;

/** A directory tree the owner backs up. */
/**
 * A directory that is backed up. {@code schedule} is null when backups run by hand only;
 * {@code lastScheduled} is when the agent last started a scheduled run (null: never).
 */
public record Source(long id, String name, String path, Instant addedAt, String schedule, Instant lastScheduled) {}
