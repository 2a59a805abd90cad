package org.selfstorage.catalog;

import java.time.Instant;

/**
 * Something that happened, with a stable code, a sentence for people and, when there is something
 * to do about it, the command that does it ({@code fix}, else null).
 */
public record Event(long id, Instant time, String code, String severity, String message, String fix) {
  public Event(long id, Instant time, String code, String severity, String message) {
    this(id, time, code, severity, message, null);
  }
}
