package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void codes_areStable() {
    assertEquals("AUTHENTICATION_FAILED", new AuthenticationFailedException("x").code());
    assertEquals(
        "RECOVERY_CODE_INVALID",
        new InvalidRecoveryCodeException(InvalidRecoveryCodeException.Reason.EMPTY, "x").code());
    assertEquals("UNSUPPORTED_FORMAT", new UnsupportedFormatException("x").code());
  }

  @Test
  void exceptions_areUncheckedCryptoExceptions() {
    CryptoException e = new AuthenticationFailedException("x");
    RuntimeException r = e;
    assertSame(e, r);
  }

  @Test
  void unsupportedVersion_saysWhatAndWhich() {
    assertEquals(
        "the pack header has format version 3; this release of selfstorage reads version 1,"
            + " so a newer release wrote it",
        UnsupportedFormatException.version("the pack header", 3, 1).getMessage());
  }
}
