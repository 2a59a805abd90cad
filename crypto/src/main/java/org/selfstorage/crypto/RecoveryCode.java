package org.selfstorage.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.selfstorage.crypto.internal.RecoveryCodeCodec;

/**
 * The master secret written for people: 30 characters of Crockford base32 in six groups of five,
 * for example {@code 00041-06105-0R3GG-28A1C-60T3G-F2XDJ}. Besides the 128-bit secret it carries a
 * format version and four check characters, so every single mistyped character and every swap of
 * two neighbouring characters is detected (and the faulty group is named), and random input is
 * accepted with a probability below one in four million.
 *
 * <p>Parsing is forgiving where that is safe: surrounding and inner spaces, dashes and line breaks
 * are ignored, case does not matter, {@code O} is read as 0 and {@code I} and {@code L} as 1, and
 * the input is NFKC-normalised first (so full-width digits work). It never corrects a typo.
 *
 * <p>The layout is specified in {@code docs/crypto-formats.md}. Values are immutable. {@link
 * #toString()} does not reveal the code; use {@link #format()} to print it.
 */
public final class RecoveryCode {

  /** Characters in a recovery code, not counting the dashes between groups. */
  public static final int LENGTH = RecoveryCodeCodec.LENGTH;

  /** Longer inputs are refused before any other work. */
  public static final int MAX_INPUT_LENGTH = RecoveryCodeCodec.MAX_INPUT_CHARS;

  private final byte[] secret;

  private RecoveryCode(byte[] secret) {
    this.secret = secret;
  }

  /**
   * Reads a recovery code as typed or pasted by a person.
   *
   * @throws InvalidRecoveryCodeException if it is empty, too short or too long, contains a
   *     character that cannot be in a recovery code, does not check out (a typo), or has a format
   *     version this release does not read. The message says which, and where when it can tell.
   */
  public static RecoveryCode parse(String text) throws InvalidRecoveryCodeException {
    return new RecoveryCode(RecoveryCodeCodec.parse(text));
  }

  /**
   * The recovery code for a 16-byte secret (copied).
   *
   * @throws IllegalArgumentException if {@code secret16} is not 16 bytes long
   */
  public static RecoveryCode of(byte[] secret16) {
    Objects.requireNonNull(secret16, "secret16");
    if (secret16.length != MasterSecret.LENGTH) {
      throw new IllegalArgumentException(
          "a recovery code holds " + MasterSecret.LENGTH + " bytes, not " + secret16.length);
    }
    return new RecoveryCode(secret16.clone());
  }

  /** The code as it is printed: upper case, six groups of five joined by dashes. */
  public String format() {
    return RecoveryCodeCodec.format(secret);
  }

  /** A copy of the 16 secret bytes. */
  public byte[] secretBytes() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecoveryCode
        && MessageDigest.isEqual(secret, ((RecoveryCode) other).secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return "RecoveryCode[redacted]";
  }
}
