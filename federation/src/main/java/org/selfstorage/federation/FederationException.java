package org.selfstorage.federation;

/** A failure crossing to a store or a partner; {@link #code()} is stable and searchable. */
public class FederationException extends RuntimeException {
  private final String code;

  public FederationException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
