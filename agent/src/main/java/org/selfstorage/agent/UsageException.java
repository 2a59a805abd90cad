package org.selfstorage.agent;

/** The request names something that does not exist or is malformed: nothing was changed. */
public class UsageException extends AgentException {
  public UsageException(String code, String message, String fix) {
    super(code, message, fix);
  }

  @Override
  public boolean isUsageError() {
    return true;
  }
}
