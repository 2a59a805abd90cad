package org.selfstorage.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HkdfTest {

  private static final HexFormat HEX = HexFormat.of();

  /** RFC 5869 appendix A.1. */
  @Test
  void rfc5869_case1() {
    byte[] okm =
        Hkdf.sha256(
            HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            HEX.parseHex("000102030405060708090a0b0c"),
            HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(okm));
  }

  /** RFC 5869 appendix A.3: empty salt and info. */
  @Test
  void rfc5869_case3() {
    byte[] okm =
        Hkdf.sha256(
            HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0], new byte[0], 42);
    assertEquals(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        HEX.formatHex(okm));
  }

  @Test
  void agreesWithTink() throws Exception {
    Random random = new Random(9);
    for (int i = 0; i < 50; i++) {
      byte[] ikm = new byte[random.nextInt(64) + 1];
      byte[] salt = new byte[random.nextInt(40) + 1];
      byte[] info = new byte[random.nextInt(40)];
      random.nextBytes(ikm);
      random.nextBytes(salt);
      random.nextBytes(info);
      int length = random.nextInt(200) + 1;
      assertArrayEquals(
          com.google.crypto.tink.subtle.Hkdf.computeHkdf("HMACSHA256", ikm, salt, info, length),
          Hkdf.sha256(ikm, salt, info, length));
    }
  }

  @Test
  void lengthLimits() {
    assertEquals(8160, Hkdf.sha256(new byte[16], new byte[1], new byte[0], 8160).length);
    assertThrows(
        IllegalArgumentException.class, () -> Hkdf.sha256(new byte[16], new byte[1], new byte[0], 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Hkdf.sha256(new byte[16], new byte[1], new byte[0], 8161));
  }
}
