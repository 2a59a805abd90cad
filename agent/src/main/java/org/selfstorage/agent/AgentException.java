package org.selfstorage.agent;

/**
 * A failure a user can act on: a stable {@code code}, a plain sentence saying what happened, and
 * the next command to run ({@code fix}, may be null when there is nothing to run).
 */
public class AgentException extends RuntimeException {
  private final String code;
  private final String fix;

  public AgentException(String code, String message, String fix) {
    this(code, message, fix, null);
  }

  public AgentException(String code, String message, String fix, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.fix = fix;
  }

  public String code() {
    return code;
  }

  public String fix() {
    return fix;
  }

  /** True when the user asked for something that does not exist or is malformed (exit code 2). */
  public boolean isUsageError() {
    return false;
  }
}
