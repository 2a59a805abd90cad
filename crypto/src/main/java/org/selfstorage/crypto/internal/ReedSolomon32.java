package org.selfstorage.crypto.internal;

/**
 * A Reed-Solomon code over GF(32) with two check symbols (minimum distance 3), used by recovery
 * codes. Any one or two changed symbols are detected; a single changed symbol can be located.
 *
 * <p>Field: GF(2^5) with the primitive polynomial x^5 + x^2 + 1, generator alpha = x = 2. Code
 * generator polynomial: g(x) = (x - alpha)(x - alpha^2). A word w_0 .. w_(n-1), read left to
 * right, is the polynomial w(x) = sum w_i x^(n-1-i) (the first symbol has the highest degree); it
 * is a codeword when w(alpha) = w(alpha^2) = 0. Words are at most 31 symbols long.
 */
final class ReedSolomon32 {

  static final int FIELD_POLYNOMIAL = 0b100101; // x^5 + x^2 + 1
  static final int MAX_LENGTH = 31;

  private static final int[] EXP = new int[2 * 31];
  private static final int[] LOG = new int[32];

  static {
    int x = 1;
    for (int i = 0; i < 31; i++) {
      EXP[i] = x;
      EXP[i + 31] = x;
      LOG[x] = i;
      x <<= 1;
      if ((x & 0b100000) != 0) {
        x ^= FIELD_POLYNOMIAL;
      }
    }
  }

  /** g(x) = x^2 + G1 x + G0 with G1 = alpha + alpha^2 and G0 = alpha^3. */
  static final int G1 = EXP[1] ^ EXP[2];

  static final int G0 = EXP[3];

  private ReedSolomon32() {}

  static int mul(int a, int b) {
    return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
  }

  static int div(int a, int b) {
    if (b == 0) {
      throw new ArithmeticException("division by zero in GF(32)");
    }
    return a == 0 ? 0 : EXP[LOG[a] + 31 - LOG[b]];
  }

  static int alphaPow(int e) {
    return EXP[Math.floorMod(e, 31)];
  }

  /**
   * The two check symbols for {@code message[0..length)}: the remainder of m(x) x^2 divided by
   * g(x), highest degree first. Appending them to the message gives a codeword.
   */
  static int[] checkSymbols(int[] message, int length) {
    if (length + 2 > MAX_LENGTH) {
      throw new IllegalArgumentException("a GF(32) Reed-Solomon word has at most 31 symbols");
    }
    int r1 = 0;
    int r0 = 0;
    for (int i = 0; i < length; i++) {
      int feedback = message[i] ^ r1;
      r1 = r0 ^ mul(feedback, G1);
      r0 = mul(feedback, G0);
    }
    return new int[] {r1, r0};
  }

  /** w(alpha^k) for the word {@code word[0..length)}; zero for k = 1, 2 on a codeword. */
  static int syndrome(int[] word, int length, int k) {
    int x = alphaPow(k);
    int s = 0;
    for (int i = 0; i < length; i++) {
      s = mul(s, x) ^ word[i];
    }
    return s;
  }

  /**
   * If the syndromes are those of exactly one changed symbol inside the word, returns its index
   * and the value to XOR into it as {@code {index, delta}}; otherwise returns null. A word with
   * two or more errors can also look like a single error elsewhere, so treat the answer as a hint.
   */
  static int[] locateSingleError(int[] word, int length) {
    int s1 = syndrome(word, length, 1);
    int s2 = syndrome(word, length, 2);
    if (s1 == 0 || s2 == 0) {
      return null;
    }
    int locator = div(s2, s1); // alpha^d, where d is the degree of the changed position
    int degree = LOG[locator];
    if (degree >= length) {
      return null;
    }
    int delta = div(s1, locator);
    return new int[] {length - 1 - degree, delta};
  }
}
