package org.selfstorage.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfstorage.crypto.InvalidRecoveryCodeException;
import org.selfstorage.crypto.InvalidRecoveryCodeException.Reason;

class RecoveryCodeCodecTest {

  private static final byte[] SECRET = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  private static String text(int[] symbols) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < symbols.length; i++) {
      if (i > 0 && i % 5 == 0) {
        out.append('-');
      }
      out.append(Crockford32.encode(symbols[i]));
    }
    return out.toString();
  }

  @Test
  void layout_firstSymbolCarriesTheFormatField() {
    // Field 0: the first character is 0-7. Other fields would give 8-F, G-Q, R-Z.
    assertEquals('0', RecoveryCodeCodec.format(new byte[16]).charAt(0));
    assertEquals('7', RecoveryCodeCodec.format(HexFormat.of().parseHex("e0" + "00".repeat(15))).charAt(0));
    assertEquals(8, RecoveryCodeCodec.encode(1, new byte[16])[0]);
    assertEquals(16, RecoveryCodeCodec.encode(2, new byte[16])[0]);
    assertEquals(24, RecoveryCodeCodec.encode(3, new byte[16])[0]);
  }

  @Test
  void layout_dataSymbolsAreTheSecretInBigEndianBase32() {
    int[] symbols = RecoveryCodeCodec.encode(0, SECRET);
    java.math.BigInteger value = new java.math.BigInteger(1, SECRET);
    for (int i = 0; i < 26; i++) {
      assertEquals(value.shiftRight(5 * (25 - i)).intValue() & 31, symbols[i], "symbol " + i);
    }
  }

  @Test
  void parse_otherFormatVersions_areRefusedAsUnsupported() {
    for (int field = 1; field <= 3; field++) {
      String code = text(RecoveryCodeCodec.encode(field, SECRET));
      InvalidRecoveryCodeException e =
          assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCodeCodec.parse(code));
      assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
      assertEquals(
          "this recovery code has format version " + (field + 1) + ", but this release of"
              + " selfstorage reads only version 1; use the newer release of selfstorage that"
              + " printed it",
          e.getMessage());
    }
  }

  @Test
  void parse_codewordWithWrongHash_isRefusedAsMistyped() {
    int[] symbols = RecoveryCodeCodec.encode(0, SECRET);
    symbols[26] ^= 1; // break the hash, then repair the Reed-Solomon check
    int[] rs = ReedSolomon32.checkSymbols(symbols, 28);
    symbols[28] = rs[0];
    symbols[29] = rs[1];
    InvalidRecoveryCodeException e =
        assertThrows(
            InvalidRecoveryCodeException.class, () -> RecoveryCodeCodec.parse(text(symbols)));
    assertEquals(Reason.MISTYPED, e.reason());
    assertTrue(e.getMessage().startsWith("the recovery code does not check out: more than one"));
  }

  /** Words that pass the Reed-Solomon check by chance are still refused by the hash symbols. */
  @Test
  void hashSymbols_refuseRandomReedSolomonCodewords() {
    Random random = new Random(13);
    int trials = 50_000;
    int accepted = 0;
    for (int t = 0; t < trials; t++) {
      int[] symbols = new int[30];
      for (int i = 0; i < 28; i++) {
        symbols[i] = random.nextInt(32);
      }
      symbols[0] &= 0b111; // the current format field, so that only the hash can refuse it
      int[] rs = ReedSolomon32.checkSymbols(symbols, 28);
      symbols[28] = rs[0];
      symbols[29] = rs[1];
      try {
        RecoveryCodeCodec.parse(text(symbols));
        accepted++;
      } catch (InvalidRecoveryCodeException e) {
        assertEquals(Reason.MISTYPED, e.reason());
      }
    }
    // Expected trials / 1024, about 49.
    assertTrue(accepted > 10 && accepted < 120, "accepted " + accepted);
  }

  @Test
  void roundTrip_allFormatsOfOneByteValues() {
    for (int b = 0; b < 256; b++) {
      byte[] secret = new byte[16];
      java.util.Arrays.fill(secret, (byte) b);
      assertArrayEquals(secret, RecoveryCodeCodec.parse(RecoveryCodeCodec.format(secret)));
    }
  }

  @Test
  void separators() {
    assertTrue(RecoveryCodeCodec.isSeparator(' '));
    assertTrue(RecoveryCodeCodec.isSeparator('-'));
    assertTrue(RecoveryCodeCodec.isSeparator('\n'));
    assertTrue(RecoveryCodeCodec.isSeparator('\u2013'));
    assertTrue(!RecoveryCodeCodec.isSeparator('\u200D'));
    assertTrue(!RecoveryCodeCodec.isSeparator('_'));
  }
}
