package org.selfstorage.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.selfstorage.crypto.InvalidRecoveryCodeException;
import org.selfstorage.crypto.InvalidRecoveryCodeException.Reason;

/**
 * The text form of a recovery code (format version 1). See {@code docs/crypto-formats.md}.
 *
 * <pre>
 *   30 Crockford base32 symbols, shown in 6 groups of 5:
 *   s0 .. s25   a 130-bit big-endian number: a 2-bit format field (0 = version 1), then the
 *               16-byte secret
 *   s26, s27    the first 10 bits of SHA-256("selfstorage/recovery-code/check" || field || secret)
 *   s28, s29    two Reed-Solomon check symbols over GF(32) covering s0 .. s27
 * </pre>
 */
public final class RecoveryCodeCodec {

  public static final int SECRET_LENGTH = 16;
  /** Symbols (characters) in a recovery code, without separators. */
  public static final int LENGTH = 30;

  public static final int GROUP_SIZE = 5;
  /** Inputs longer than this many chars are refused before any other work. */
  public static final int MAX_INPUT_CHARS = 256;

  static final int DATA_SYMBOLS = 26;
  static final int HASH_SYMBOLS = 2;
  static final int CHECKED_SYMBOLS = DATA_SYMBOLS + HASH_SYMBOLS;
  /** The value of the 2-bit format field in the codes this release writes and reads. */
  static final int FORMAT_FIELD = 0;

  private static final byte[] CHECK_LABEL =
      "selfstorage/recovery-code/check".getBytes(StandardCharsets.US_ASCII);

  private RecoveryCodeCodec() {}

  /** The grouped, upper-case text form of {@code secret}, for example {@code "00041-...-F2XDJ"}. */
  public static String format(byte[] secret) {
    int[] symbols = encode(FORMAT_FIELD, secret);
    StringBuilder out = new StringBuilder(LENGTH + LENGTH / GROUP_SIZE);
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0 && i % GROUP_SIZE == 0) {
        out.append('-');
      }
      out.append(Crockford32.encode(symbols[i]));
    }
    return out.toString();
  }

  /** All 30 symbols for a secret and a format field (0..3). */
  static int[] encode(int formatField, byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length != SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "a recovery code holds " + SECRET_LENGTH + " bytes, not " + secret.length);
    }
    if (formatField < 0 || formatField > 3) {
      throw new IllegalArgumentException("the format field has 2 bits");
    }
    int[] symbols = new int[LENGTH];
    long acc = formatField;
    int bits = 2;
    int n = 0;
    for (byte b : secret) {
      acc = (acc << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        symbols[n++] = (int) (acc >>> (bits - 5)) & 31;
        bits -= 5;
      }
      acc &= (1L << bits) - 1;
    }
    assert n == DATA_SYMBOLS && bits == 0;
    int[] hash = hashSymbols(formatField, secret);
    symbols[DATA_SYMBOLS] = hash[0];
    symbols[DATA_SYMBOLS + 1] = hash[1];
    int[] rs = ReedSolomon32.checkSymbols(symbols, CHECKED_SYMBOLS);
    symbols[CHECKED_SYMBOLS] = rs[0];
    symbols[CHECKED_SYMBOLS + 1] = rs[1];
    return symbols;
  }

  /**
   * Reads a recovery code typed or pasted by a person and returns the 16-byte secret.
   *
   * @throws InvalidRecoveryCodeException with a message that says what is wrong; the code is
   *     never corrected automatically
   */
  public static byte[] parse(String text) {
    if (text == null) {
      throw new InvalidRecoveryCodeException(Reason.EMPTY, "no recovery code was given");
    }
    if (text.length() > MAX_INPUT_CHARS) {
      throw new InvalidRecoveryCodeException(
          Reason.TOO_LONG,
          "the recovery code is too long: " + text.length() + " characters, but a recovery code"
              + " has " + LENGTH + " (in groups of " + GROUP_SIZE + ")");
    }
    String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC);
    int[] symbols = new int[LENGTH];
    int count = 0;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      i += Character.charCount(cp);
      if (isSeparator(cp)) {
        continue;
      }
      int value = Crockford32.decode(cp);
      if (value < 0) {
        throw new InvalidRecoveryCodeException(
            Reason.CHARACTER_NOT_ALLOWED, notAllowedMessage(count + 1, cp));
      }
      if (count < LENGTH) {
        symbols[count] = value;
      }
      count++;
    }
    if (count == 0) {
      throw new InvalidRecoveryCodeException(Reason.EMPTY, "the recovery code is empty");
    }
    if (count < LENGTH) {
      throw new InvalidRecoveryCodeException(
          Reason.TOO_SHORT,
          "the recovery code is too short: " + count + " of " + LENGTH + " characters");
    }
    if (count > LENGTH) {
      throw new InvalidRecoveryCodeException(
          Reason.TOO_LONG,
          "the recovery code is too long: " + count + " characters, but a recovery code has "
              + LENGTH);
    }
    if (!isCodeword(symbols)) {
      throw new InvalidRecoveryCodeException(Reason.MISTYPED, mistypedMessage(symbols));
    }
    int field = symbols[0] >>> 3;
    byte[] secret = secretOf(symbols);
    if (!hashMatches(symbols, field, secret)) {
      Arrays.fill(secret, (byte) 0);
      throw new InvalidRecoveryCodeException(Reason.MISTYPED, MISTYPED_GENERIC);
    }
    if (field != FORMAT_FIELD) {
      Arrays.fill(secret, (byte) 0);
      throw new InvalidRecoveryCodeException(
          Reason.UNSUPPORTED_VERSION,
          "this recovery code has format version " + (field + 1) + ", but this release of"
              + " selfstorage reads only version " + (FORMAT_FIELD + 1)
              + "; use the newer release of selfstorage that printed it");
    }
    return secret;
  }

  private static final String NOT_CHECK_OUT = "the recovery code does not check out: ";

  private static final String MISTYPED_GENERIC =
      NOT_CHECK_OUT
          + "more than one character is mistyped, or it is not a selfstorage recovery code;"
          + " compare it with your recovery sheet group by group";

  static boolean isSeparator(int cp) {
    return Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || Character.getType(cp) == Character.DASH_PUNCTUATION;
  }

  private static boolean isCodeword(int[] symbols) {
    return ReedSolomon32.syndrome(symbols, LENGTH, 1) == 0
        && ReedSolomon32.syndrome(symbols, LENGTH, 2) == 0;
  }

  /** A codeword whose hash symbols match: what a correct code of any format version looks like. */
  private static boolean isPlausible(int[] symbols) {
    if (!isCodeword(symbols)) {
      return false;
    }
    byte[] secret = secretOf(symbols);
    try {
      return hashMatches(symbols, symbols[0] >>> 3, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Explains a word that fails the Reed-Solomon check. It names a group only when one small typo
   * (one wrong character, or two neighbours swapped) turns the input into a code that passes
   * every check; if two such typos exist it names both, if more it names none. The corrected
   * code itself is never used.
   */
  private static String mistypedMessage(int[] symbols) {
    List<String> explanations = new ArrayList<>(2);
    int[] single = ReedSolomon32.locateSingleError(symbols, LENGTH);
    if (single != null) {
      int[] candidate = symbols.clone();
      candidate[single[0]] ^= single[1];
      if (isPlausible(candidate)) {
        explanations.add(
            "a character is mistyped (group " + (single[0] / GROUP_SIZE + 1) + " looks wrong)");
      }
      Arrays.fill(candidate, 0);
    }
    for (int p = 0; p + 1 < LENGTH && explanations.size() < 3; p++) {
      if (symbols[p] == symbols[p + 1]) {
        continue;
      }
      int[] candidate = symbols.clone();
      candidate[p] = symbols[p + 1];
      candidate[p + 1] = symbols[p];
      if (isPlausible(candidate)) {
        int g1 = p / GROUP_SIZE + 1;
        int g2 = (p + 1) / GROUP_SIZE + 1;
        explanations.add(
            g1 == g2
                ? "two neighbouring characters are swapped (group " + g1 + " looks wrong)"
                : "two neighbouring characters are swapped (the end of group " + g1
                    + " and the start of group " + g2 + " look wrong)");
      }
      Arrays.fill(candidate, 0);
    }
    switch (explanations.size()) {
      case 1:
        return NOT_CHECK_OUT + explanations.get(0);
      case 2:
        // Rare (about 1 in 1000 typos): two different small typos would each explain the input.
        return NOT_CHECK_OUT + "either " + explanations.get(0) + ", or " + explanations.get(1);
      default:
        return MISTYPED_GENERIC;
    }
  }

  private static byte[] secretOf(int[] symbols) {
    byte[] secret = new byte[SECRET_LENGTH];
    long acc = symbols[0] & 0b111;
    int bits = 3;
    int n = 0;
    for (int i = 1; i < DATA_SYMBOLS; i++) {
      acc = (acc << 5) | symbols[i];
      bits += 5;
      if (bits >= 8) {
        secret[n++] = (byte) (acc >>> (bits - 8));
        bits -= 8;
        acc &= (1L << bits) - 1;
      }
    }
    assert n == SECRET_LENGTH && bits == 0;
    return secret;
  }

  private static boolean hashMatches(int[] symbols, int field, byte[] secret) {
    int[] expected = hashSymbols(field, secret);
    return expected[0] == symbols[DATA_SYMBOLS] && expected[1] == symbols[DATA_SYMBOLS + 1];
  }

  private static int[] hashSymbols(int field, byte[] secret) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
    sha256.update(CHECK_LABEL);
    sha256.update((byte) field);
    sha256.update(secret);
    byte[] h = sha256.digest();
    int first = (h[0] & 0xff) >>> 3;
    int second = ((h[0] & 0b111) << 2) | ((h[1] & 0xff) >>> 6);
    Arrays.fill(h, (byte) 0);
    return new int[] {first, second};
  }

  private static String notAllowedMessage(int position, int cp) {
    String name = Character.getName(cp);
    String unicode = String.format(Locale.ROOT, "U+%04X", cp) + (name == null ? "" : " " + name);
    if (isInvisible(cp)) {
      return "character " + position + " is an invisible character (" + unicode + "), which is"
          + " not allowed in a recovery code; type the code by hand instead of pasting it";
    }
    String shown = new String(Character.toChars(cp));
    String detail = cp < 128 ? "'" + shown + "'" : "'" + shown + "', " + unicode;
    return "character " + position + " (" + detail + ") is not allowed in a recovery code;"
        + " a recovery code has only the digits 0-9 and the Latin letters A-Z except U";
  }

  private static boolean isInvisible(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.UNASSIGNED:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return true;
      default:
        return false;
    }
  }
}
