package org.selfstorage.catalog;

import java.time.Instant;

/** Something that happened, with a stable code and a sentence for people. */
public record Event(long id, Instant time, String code, String severity, String message) {}
