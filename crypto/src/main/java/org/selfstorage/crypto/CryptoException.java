package org.selfstorage.crypto;

/**
 * Base of every exception thrown by this module.
 *
 * <p>Each subclass has a stable {@link #code()} that callers may map to exit codes, events and
 * JSON output; the message is a plain sentence for a person. Messages never contain key material.
 */
public abstract class CryptoException extends RuntimeException {

  protected CryptoException(String message) {
    super(message);
  }

  protected CryptoException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable, upper-case identifier for this kind of failure, for example {@code "AUTHENTICATION_FAILED"}. */
  public abstract String code();
}
