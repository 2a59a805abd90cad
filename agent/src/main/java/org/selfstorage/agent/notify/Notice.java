package org.selfstorage.agent.notify;

import java.time.Instant;

/**
 * One event as webhooks receive it: its code, severity ({@code info}, {@code warning} or {@code
 * error}), the sentence, the command that fixes it (or null), which agent and home it is about,
 * and when it happened.
 */
public record Notice(String code, String severity, String message, String fix, String agent, String home,
    Instant time) {

  /** 0 for info, 1 for warning, 2 for error: a webhook's minimum severity compares on this. */
  public static int rank(String severity) {
    return switch (severity) {
      case "error" -> 2;
      case "warning" -> 1;
      default -> 0;
    };
  }
}
