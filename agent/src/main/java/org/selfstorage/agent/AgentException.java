package org.selfstorage.agent;

import org.selfstorage.catalog.CatalogException;
import org.selfstorage.federation.FederationException;

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

  /**
   * The failure as one a user can act on: itself when it is one, a typed failure of the catalog or
   * of a store given its next command, or null for anything else (a bug).
   */
  public static AgentException explain(Throwable t) {
    if (t instanceof AgentException e) {
      return e;
    }
    if (t instanceof CatalogException e) {
      return new AgentException(e.code(), e.getMessage(), switch (e.code()) {
        case "CATALOG_BUSY" -> "run this again once the other selfstorage command has finished "
            + "(everything already stored is kept)";
        case "CATALOG_DISK_FULL" -> "free space on the disk holding the home, then run this again";
        default -> "selfstorage check";
      }, e);
    }
    if (t instanceof FederationException e) {
      return new AgentException(e.code(), e.getMessage(), "selfstorage status", e);
    }
    return null;
  }

  /** True when the user asked for something that does not exist or is malformed (exit code 2). */
  public boolean isUsageError() {
    return false;
  }
}
