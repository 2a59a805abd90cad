package org.selfstorage.agent;

import java.time.Instant;

/** Something that happened in this home, as shown to users: a stable code and a sentence. */
public record EventInfo(long id, Instant time, String code, String severity, String message) {}
