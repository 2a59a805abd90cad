package org.selfstorage.agent;

import java.time.Instant;

/**
 * Something that happened in this home, as shown to users: a stable code, a sentence, and the
 * command or step that deals with it (null when there is nothing to do).
 */
public record EventInfo(long id, Instant time, String code, String severity, String message, String fix) {}
