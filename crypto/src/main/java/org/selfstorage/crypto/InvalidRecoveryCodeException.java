package org.selfstorage.crypto;

import java.util.Objects;

/**
 * A recovery code could not be read. The message says exactly what is wrong, in words a person
 * typing the code from paper can act on; it never repeats the code itself.
 */
public final class InvalidRecoveryCodeException extends CryptoException {

  public static final String CODE = "RECOVERY_CODE_INVALID";

  /** Why the code was refused, for callers that want to react differently per case. */
  public enum Reason {
    /** Nothing but spaces, dashes and line breaks was given. */
    EMPTY,
    /** More characters than a recovery code has (or an input far too long to be one). */
    TOO_LONG,
    /** Fewer characters than a recovery code has. */
    TOO_SHORT,
    /** A character that cannot appear in a recovery code. */
    CHARACTER_NOT_ALLOWED,
    /** All characters are allowed, but the check characters do not match: a typo. */
    MISTYPED,
    /** The code is intact but was made in a format version this release does not read. */
    UNSUPPORTED_VERSION
  }

  private final Reason reason;

  public InvalidRecoveryCodeException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String code() {
    return CODE;
  }
}
