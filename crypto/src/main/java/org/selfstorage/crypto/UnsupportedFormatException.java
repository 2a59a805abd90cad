package org.selfstorage.crypto;

/**
 * Data is in a format (or format version) that this release cannot read, typically because a
 * newer release wrote it.
 */
public final class UnsupportedFormatException extends CryptoException {

  public static final String CODE = "UNSUPPORTED_FORMAT";

  public UnsupportedFormatException(String message) {
    super(message);
  }

  public UnsupportedFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The usual message for a versioned format: {@code "<what> has format version <found>; this
   * release reads version <supported>"}.
   */
  public static UnsupportedFormatException version(String what, int found, int supported) {
    return new UnsupportedFormatException(
        what + " has format version " + found + "; this release of selfstorage reads version "
            + supported + ", so a newer release wrote it");
  }

  @Override
  public String code() {
    return CODE;
  }
}
