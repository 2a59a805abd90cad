package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.selfstorage.crypto.InvalidRecoveryCodeException.Reason;

class RecoveryCodeTest {

  static final String CODE = "00041-06105-0R3GG-28A1C-60T3G-F2XDJ";
  static final byte[] SECRET = HexFormat.of().parseHex(GoldenVectorsTest.SECRET_HEX);
  static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  // --- accepted forms -------------------------------------------------------------------------

  @Test
  void parse_printedForm_givesSecret() {
    assertArrayEquals(SECRET, RecoveryCode.parse(CODE).secretBytes());
  }

  @Test
  void parse_lowerCaseWithoutDashes_isAccepted() {
    assertAccepted(CODE.toLowerCase().replace("-", ""));
  }

  @Test
  void parse_spacesNewlinesTabsAndSurroundingWhitespace_areIgnored() {
    assertAccepted("  " + CODE.replace("-", " ") + "\n");
    assertAccepted(CODE.replace("-", "\r\n"));
    assertAccepted("\t" + CODE.replace("-", " - ") + " \t ");
    assertAccepted("0 0 0 4 1 0 6 1 0 5 0 R 3 G G 2 8 A 1 C 6 0 T 3 G F 2 X D J");
    assertAccepted("00041-06105-0R3GG-\n28A1C-60T3G-F2XDJ");
  }

  @Test
  void parse_otherUnicodeDashesAndSpaces_areIgnored() {
    assertAccepted(CODE.replace('-', '\u2010')); // hyphen
    assertAccepted(CODE.replace('-', '\u2013')); // en dash
    assertAccepted(CODE.replace('-', '\u2014')); // em dash
    assertAccepted(CODE.replace("-", "\u00a0")); // no-break space
    assertAccepted(CODE.replace("-", "\u3000")); // ideographic space
  }

  @Test
  void parse_crockfordAliases_areRead() {
    // O and o read as 0; I, i, L and l read as 1.
    assertAccepted(CODE.replace('0', 'O'));
    assertAccepted(CODE.replace('0', 'o'));
    assertAccepted(CODE.replace('1', 'I'));
    assertAccepted(CODE.replace('1', 'i'));
    assertAccepted(CODE.replace('1', 'L'));
    assertAccepted(CODE.replace('1', 'l'));
  }

  @Test
  void parse_fullWidthDigitsAndLetters_normaliseToAscii() {
    StringBuilder fullWidth = new StringBuilder();
    for (char c : CODE.toCharArray()) {
      fullWidth.append((char) (c - 0x21 + 0xFF01)); // U+FF01..U+FF5E mirror ASCII 0x21..0x7E
    }
    assertAccepted(fullWidth.toString());
  }

  @Test
  void parse_inputOfExactlyTheMaximumLength_isAccepted() {
    String padded = CODE + " ".repeat(RecoveryCode.MAX_INPUT_LENGTH - CODE.length());
    assertEquals(256, padded.length());
    assertAccepted(padded);
  }

  // --- refused forms --------------------------------------------------------------------------

  @Test
  void parse_empty_isRefused() {
    assertRefused("", Reason.EMPTY, "the recovery code is empty");
    assertRefused("   \n\t  ", Reason.EMPTY, "the recovery code is empty");
    assertRefused(" - - - ", Reason.EMPTY, "the recovery code is empty");
    assertRefused(null, Reason.EMPTY, "no recovery code was given");
  }

  @Test
  void parse_tooShort_saysHowShort() {
    assertRefused(
        CODE.replace("-", "").substring(0, 24),
        Reason.TOO_SHORT,
        "the recovery code is too short: 24 of 30 characters");
    assertRefused(
        "00041-06105-0R3GG-28A1C-60T3G",
        Reason.TOO_SHORT,
        "the recovery code is too short: 25 of 30 characters");
    assertRefused("0", Reason.TOO_SHORT, "the recovery code is too short: 1 of 30 characters");
  }

  @Test
  void parse_tooLong_saysHowLong() {
    assertRefused(
        CODE + "0",
        Reason.TOO_LONG,
        "the recovery code is too long: 31 characters, but a recovery code has 30");
    assertRefused(
        CODE + "-" + CODE,
        Reason.TOO_LONG,
        "the recovery code is too long: 60 characters, but a recovery code has 30");
  }

  @Test
  void parse_overTheInputCap_isRefusedBeforeAnyWork() {
    String padded = CODE + " ".repeat(RecoveryCode.MAX_INPUT_LENGTH - CODE.length() + 1);
    assertRefused(
        padded,
        Reason.TOO_LONG,
        "the recovery code is too long: 257 characters, but a recovery code has 30 (in groups of 5)");
  }

  @Test
  void parse_oneMebibyteInput_isRefusedCheaply() {
    String huge = "0".repeat(1 << 20);
    assertRefused(
        huge,
        Reason.TOO_LONG,
        "the recovery code is too long: 1048576 characters, but a recovery code has 30"
            + " (in groups of 5)");
    // Also when the giant input is made of characters that would need normalisation work.
    assertEquals(
        Reason.TOO_LONG,
        assertThrows(
                InvalidRecoveryCodeException.class,
                () -> RecoveryCode.parse("\uFDFA".repeat(1 << 20)))
            .reason());
  }

  @Test
  void parse_letterU_isNamedWithItsPosition() {
    String withU = CODE.substring(0, 7) + "U" + CODE.substring(8); // 7th code character
    assertRefused(
        withU,
        Reason.CHARACTER_NOT_ALLOWED,
        "character 7 ('U') is not allowed in a recovery code; a recovery code has only the digits"
            + " 0-9 and the Latin letters A-Z except U");
    assertEquals(
        Reason.CHARACTER_NOT_ALLOWED,
        assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse("u")).reason());
  }

  @Test
  void parse_punctuation_isNamed() {
    assertRefused(
        "Code: " + CODE,
        Reason.CHARACTER_NOT_ALLOWED,
        "character 5 (':') is not allowed in a recovery code; a recovery code has only the digits"
            + " 0-9 and the Latin letters A-Z except U");
  }

  @Test
  void parse_cyrillicLookAlikes_areNamedAsSuch() {
    // 'A' is the 18th code character; U+0410 looks the same but is Cyrillic.
    assertRefused(
        CODE.replace('A', '\u0410'),
        Reason.CHARACTER_NOT_ALLOWED,
        "character 18 ('\u0410', U+0410 CYRILLIC CAPITAL LETTER A) is not allowed in a recovery"
            + " code; a recovery code has only the digits 0-9 and the Latin letters A-Z except U");
    assertRefused(
        CODE.replace('C', '\u0421'),
        Reason.CHARACTER_NOT_ALLOWED,
        "character 20 ('\u0421', U+0421 CYRILLIC CAPITAL LETTER ES) is not allowed in a recovery"
            + " code; a recovery code has only the digits 0-9 and the Latin letters A-Z except U");
    // Greek capital omicron looks like O (which would be read as 0).
    assertEquals(
        Reason.CHARACTER_NOT_ALLOWED,
        assertThrows(
                InvalidRecoveryCodeException.class,
                () -> RecoveryCode.parse(CODE.replace('0', '\u039F')))
            .reason());
  }

  @Test
  void parse_zeroWidthCharacters_areRefusedAsInvisible() {
    String withJoiner = CODE.substring(0, 2) + "\u200D" + CODE.substring(2);
    assertRefused(
        withJoiner,
        Reason.CHARACTER_NOT_ALLOWED,
        "character 3 is an invisible character (U+200D ZERO WIDTH JOINER), which is not allowed"
            + " in a recovery code; type the code by hand instead of pasting it");
    for (String invisible : new String[] {"\u200B", "\u200C", "\u2060", "\uFEFF", "\u0000"}) {
      assertEquals(
          Reason.CHARACTER_NOT_ALLOWED,
          assertThrows(
                  InvalidRecoveryCodeException.class,
                  () -> RecoveryCode.parse(CODE.replace("-", invisible)))
              .reason(),
          invisible);
    }
  }

  @Test
  void parse_characterOutsideTheBasicPlane_isNamed() {
    String withEmoji = "\uD83D\uDD11" + CODE; // U+1F511 KEY
    assertRefused(
        withEmoji,
        Reason.CHARACTER_NOT_ALLOWED,
        "character 1 ('\uD83D\uDD11', U+1F511 KEY) is not allowed in a recovery code; a recovery"
            + " code has only the digits 0-9 and the Latin letters A-Z except U");
  }

  @Test
  void parse_oneMistypedCharacter_namesItsGroup() {
    // The 12th code character (R, group 3) typed as S.
    String typo = CODE.replace("0R3GG", "0S3GG");
    assertRefused(
        typo,
        Reason.MISTYPED,
        "the recovery code does not check out: a character is mistyped (group 3 looks wrong)");
  }

  @Test
  void parse_swappedNeighbours_namesTheirGroup() {
    assertRefused(
        CODE.replace("28A1C", "82A1C"),
        Reason.MISTYPED,
        "the recovery code does not check out: two neighbouring characters are swapped"
            + " (group 4 looks wrong)");
    // G (end of group 3) and 2 (start of group 4) swapped across the dash.
    assertRefused(
        CODE.replace("0R3GG-28A1C", "0R3G2-G8A1C"),
        Reason.MISTYPED,
        "the recovery code does not check out: two neighbouring characters are swapped"
            + " (the end of group 3 and the start of group 4 look wrong)");
  }

  @Test
  void parse_inputThatTwoDifferentTyposExplain_namesBoth() {
    // Two neighbours of group 2 were swapped; by chance one other character of group 5 could
    // also have been mistyped to give this input (one typo in about a thousand is like that).
    assertRefused(
        "55XQS-5NSDM-Z0YF2-4BYX7-TPK3T-TRTTM",
        Reason.MISTYPED,
        "the recovery code does not check out: either a character is mistyped (group 5 looks"
            + " wrong), or two neighbouring characters are swapped (group 2 looks wrong)");
  }

  @Test
  void parse_severalTypos_givesTheGeneralAdvice() {
    assertRefused(
        CODE.replace("0R3GG", "0S3GH").replace("F2XDJ", "F2XDK"),
        Reason.MISTYPED,
        "the recovery code does not check out: more than one character is mistyped, or it is not"
            + " a selfstorage recovery code; compare it with your recovery sheet group by group");
  }

  @Test
  void parse_codeOfANewerFormatVersion_isRefusedAsUnsupported() {
    // The same secret with format field 1 (format version 2): the first character is 8, not 0.
    String newer = "80041-06105-0R3GG-28A1C-60T3G-FXRY4";
    InvalidRecoveryCodeException e =
        assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(newer));
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
    assertEquals(
        "this recovery code has format version 2, but this release of selfstorage reads only"
            + " version 1; use the newer release of selfstorage that printed it",
        e.getMessage());
  }

  @Test
  void parse_randomStringsOfTheRightShape_areRefused() {
    Random random = new Random(20240601L);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int j = 0; j < RecoveryCode.LENGTH; j++) {
        text.append(ALPHABET.charAt(random.nextInt(32)));
      }
      try {
        RecoveryCode.parse(text.toString());
        accepted++;
      } catch (InvalidRecoveryCodeException e) {
        assertTrue(
            e.reason() == Reason.MISTYPED || e.reason() == Reason.UNSUPPORTED_VERSION, e::getMessage);
      }
    }
    assertEquals(0, accepted);
  }

  // --- detection guarantees, exhaustively on a few codes ---------------------------------------

  @Test
  void everySingleSubstitution_isDetected_andItsGroupNamed() {
    Random random = new Random(7L);
    for (int round = 0; round < 4; round++) {
      byte[] secret = new byte[16];
      random.nextBytes(secret);
      String compact = RecoveryCode.of(secret).format().replace("-", "");
      for (int position = 0; position < compact.length(); position++) {
        for (char replacement : ALPHABET.toCharArray()) {
          if (replacement == compact.charAt(position)) {
            continue;
          }
          String typo =
              compact.substring(0, position) + replacement + compact.substring(position + 1);
          InvalidRecoveryCodeException e =
              assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(typo));
          assertEquals(Reason.MISTYPED, e.reason());
          assertNamesTheTypo(
              "a character is mistyped (group " + (position / 5 + 1) + " looks wrong)",
              e.getMessage(),
              typo);
        }
      }
    }
  }

  @Test
  void everyAdjacentTransposition_isDetected_andItsGroupNamed() {
    Random random = new Random(11L);
    int checked = 0;
    for (int round = 0; round < 20; round++) {
      byte[] secret = new byte[16];
      random.nextBytes(secret);
      String compact = RecoveryCode.of(secret).format().replace("-", "");
      for (int p = 0; p + 1 < compact.length(); p++) {
        if (compact.charAt(p) == compact.charAt(p + 1)) {
          continue;
        }
        char[] chars = compact.toCharArray();
        chars[p] = compact.charAt(p + 1);
        chars[p + 1] = compact.charAt(p);
        String swapped = new String(chars);
        InvalidRecoveryCodeException e =
            assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(swapped));
        assertEquals(Reason.MISTYPED, e.reason());
        int g1 = p / 5 + 1;
        int g2 = (p + 1) / 5 + 1;
        String where =
            g1 == g2
                ? "(group " + g1 + " looks wrong)"
                : "(the end of group " + g1 + " and the start of group " + g2 + " look wrong)";
        assertNamesTheTypo(
            "two neighbouring characters are swapped " + where, e.getMessage(), swapped);
        checked++;
      }
    }
    assertTrue(checked > 500);
  }

  /**
   * The message names the typo alone, or, when a second small typo would explain the input just
   * as well (about one case in a thousand), names both.
   */
  private static void assertNamesTheTypo(String hint, String message, String input) {
    String prefix = "the recovery code does not check out: ";
    if (message.equals(prefix + hint)) {
      return;
    }
    assertTrue(
        message.startsWith(prefix + "either ")
            && (message.contains("either " + hint + ", or ") || message.endsWith(", or " + hint)),
        () -> input + ": " + message);
  }

  // --- value semantics ------------------------------------------------------------------------

  @Test
  void of_wrongLength_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> RecoveryCode.of(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> RecoveryCode.of(new byte[17]));
  }

  @Test
  void of_copiesItsInput_andSecretBytesIsACopy() {
    byte[] secret = SECRET.clone();
    RecoveryCode code = RecoveryCode.of(secret);
    secret[0] = 99;
    assertEquals(CODE, code.format());
    code.secretBytes()[0] = 99;
    assertEquals(CODE, code.format());
  }

  @Test
  void equalsAndHashCode_followContent() {
    RecoveryCode a = RecoveryCode.of(SECRET);
    RecoveryCode b = RecoveryCode.parse(CODE.toLowerCase());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, RecoveryCode.of(new byte[16]));
    assertNotEquals(a, CODE);
  }

  @Test
  void toString_doesNotRevealTheCode() {
    RecoveryCode code = RecoveryCode.of(SECRET);
    assertEquals("RecoveryCode[redacted]", code.toString());
    assertFalse(String.valueOf(code).contains("00041"));
  }

  // --- helpers --------------------------------------------------------------------------------

  private static void assertAccepted(String text) {
    assertArrayEquals(SECRET, RecoveryCode.parse(text).secretBytes(), text);
  }

  private static void assertRefused(String text, Reason reason, String message) {
    InvalidRecoveryCodeException e =
        assertThrows(InvalidRecoveryCodeException.class, () -> RecoveryCode.parse(text));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
    assertEquals("RECOVERY_CODE_INVALID", e.code());
    for (String group : CODE.split("-")) {
      assertFalse(e.getMessage().contains(group), "the message must not repeat the code");
    }
  }
}
