package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"..", "../x", "/etc/passwd", "a/b", "a\\b", "", ".hidden", "A0", "a\u0000b", "a..b.c",
      "%2e%2e", "a b", "\u2024\u2024", "a\nb"})
  void hostileNames_areRejected(String name) {
    assertThrows(IllegalArgumentException.class, () -> new ShardName(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0123abcd.0", "ab", "meta-snapshot-01", "p_1.12"})
  void ordinaryNames_areAccepted(String name) {
    assertDoesNotThrow(() -> new ShardName(name));
  }
}
