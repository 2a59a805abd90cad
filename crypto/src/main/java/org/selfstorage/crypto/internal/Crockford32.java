package org.selfstorage.crypto.internal;

/**
 * Douglas Crockford's base32 alphabet: {@code 0-9 A-Z} without {@code I L O U}. When reading,
 * lower case is accepted and the look-alikes {@code O} (read as 0) and {@code I}, {@code L} (read
 * as 1) are aliases. {@code U} is never accepted.
 */
final class Crockford32 {

  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private static final int[] DECODE = new int[128];

  static {
    java.util.Arrays.fill(DECODE, -1);
    for (int v = 0; v < 32; v++) {
      char c = ALPHABET.charAt(v);
      DECODE[c] = v;
      DECODE[Character.toLowerCase(c)] = v;
    }
    DECODE['O'] = 0;
    DECODE['o'] = 0;
    DECODE['I'] = 1;
    DECODE['i'] = 1;
    DECODE['L'] = 1;
    DECODE['l'] = 1;
  }

  private Crockford32() {}

  /** The value 0..31 of a character, or -1 if it is not a Crockford base32 character. */
  static int decode(int codePoint) {
    return codePoint >= 0 && codePoint < DECODE.length ? DECODE[codePoint] : -1;
  }

  static char encode(int value) {
    return ALPHABET.charAt(value);
  }
}
