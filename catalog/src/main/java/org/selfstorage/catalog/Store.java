package org.selfstorage.catalog;

import java.time.Instant;

/** A place shards go: a local directory or a partner. Every store belongs to a site. */
public record Store(long id, String name, String kind, String location, String site, Instant addedAt) {}
