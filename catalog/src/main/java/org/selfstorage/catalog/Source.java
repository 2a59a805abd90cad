package org.selfstorage.catalog;

import java.time.Instant;

/** A directory tree the owner backs up. */
public record Source(long id, String name, String path, Instant addedAt) {}
