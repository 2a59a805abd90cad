package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class RecoveryCodePropertiesTest {

  private static final String SHAPE =
      "[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}";

  @Property
  void format_thenParse_roundTrips(@ForAll @Size(16) byte[] secret) {
    RecoveryCode code = RecoveryCode.of(secret);
    String text = code.format();
    assertTrue(text.matches(SHAPE), text);
    RecoveryCode parsed = RecoveryCode.parse(text);
    assertEquals(code, parsed);
    assertArrayEquals(secret, parsed.secretBytes());
  }

  @Property
  void parse_ignoresCaseAndSeparators(
      @ForAll @Size(16) byte[] secret, @ForAll("separators") String separator) {
    String text = RecoveryCode.of(secret).format();
    String retyped = text.toLowerCase().replace("-", separator);
    assertArrayEquals(secret, RecoveryCode.parse(retyped).secretBytes());
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of("", " ", "-", "\n", "  ", " - ", "\r\n", "\t");
  }

  @Property
  void masterSecret_roundTripsThroughItsRecoveryCode(@ForAll @Size(16) byte[] bytes) {
    try (MasterSecret secret = MasterSecret.fromBytes(bytes);
        MasterSecret back =
            MasterSecret.fromRecoveryCode(RecoveryCode.parse(secret.recoveryCode().format()))) {
      assertArrayEquals(bytes, back.toBytes());
    }
  }

  @Property
  void anySingleSubstitution_isDetected(
      @ForAll @Size(16) byte[] secret,
      @ForAll @IntRange(min = 0, max = 29) int position,
      @ForAll @IntRange(min = 1, max = 31) int delta) {
    String alphabet = RecoveryCodeTest.ALPHABET;
    char[] chars = RecoveryCode.of(secret).format().replace("-", "").toCharArray();
    chars[position] = alphabet.charAt((alphabet.indexOf(chars[position]) + delta) % 32);
    InvalidRecoveryCodeException e =
        assertThrows(
            InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(new String(chars)));
    assertEquals(InvalidRecoveryCodeException.Reason.MISTYPED, e.reason());
  }

  @Property
  void anyTwoSubstitutions_areDetected(
      @ForAll @Size(16) byte[] secret,
      @ForAll @IntRange(min = 0, max = 29) int first,
      @ForAll @IntRange(min = 0, max = 29) int second,
      @ForAll @IntRange(min = 1, max = 31) int delta1,
      @ForAll @IntRange(min = 1, max = 31) int delta2) {
    String alphabet = RecoveryCodeTest.ALPHABET;
    char[] chars = RecoveryCode.of(secret).format().replace("-", "").toCharArray();
    chars[first] = alphabet.charAt((alphabet.indexOf(chars[first]) + delta1) % 32);
    if (second != first) {
      chars[second] = alphabet.charAt((alphabet.indexOf(chars[second]) + delta2) % 32);
    }
    assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(new String(chars)));
  }

  @Property
  void arbitraryText_isRefusedCleanly(@ForAll @StringLength(max = 400) String text) {
    try {
      RecoveryCode.parse(text);
    } catch (InvalidRecoveryCodeException e) {
      assertTrue(!e.getMessage().isEmpty());
    }
  }

  @Property
  void arbitraryCodeCharacters_areRefusedCleanly(@ForAll("codeLike") String text) {
    try {
      RecoveryCode.parse(text);
    } catch (InvalidRecoveryCodeException e) {
      assertTrue(!e.getMessage().isEmpty());
    }
  }

  @Provide
  Arbitrary<String> codeLike() {
    return Arbitraries.strings()
        .withChars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz -\n")
        .ofMinLength(0)
        .ofMaxLength(60);
  }
}
