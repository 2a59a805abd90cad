package org.selfstorage.agent;

/** One webhook's answer to {@code notify test}: the HTTP status (-1 when none came) and the problem, if any. */
public record NotifyTestResult(long id, String url, String format, int status, String problem) {
  public boolean ok() {
    return problem == null;
  }
}
