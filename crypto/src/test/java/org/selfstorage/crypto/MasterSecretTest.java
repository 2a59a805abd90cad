package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasterSecretTest {

  @Test
  void generate_givesSixteenFreshBytes() {
    SecureRandom random = new SecureRandom();
    try (MasterSecret a = MasterSecret.generate(random);
        MasterSecret b = MasterSecret.generate(random)) {
      assertEquals(MasterSecret.LENGTH, a.toBytes().length);
      assertFalse(Arrays.equals(a.toBytes(), b.toBytes()));
    }
  }

  @Test
  void fromBytes_copiesItsInput() {
    byte[] bytes = new byte[16];
    bytes[0] = 42;
    try (MasterSecret secret = MasterSecret.fromBytes(bytes)) {
      Arrays.fill(bytes, (byte) 0);
      assertEquals(42, secret.toBytes()[0]);
      byte[] copy = secret.toBytes();
      copy[0] = 7;
      assertEquals(42, secret.toBytes()[0]);
    }
  }

  @Test
  void fromBytes_wrongLength_isRefused() {
    for (int length : new int[] {0, 15, 17, 32}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> MasterSecret.fromBytes(new byte[length]));
      assertEquals("a master secret is 16 bytes, not " + length, e.getMessage());
    }
  }

  @Test
  void recoveryCode_roundTripsToTheSameSecret() {
    try (MasterSecret secret = MasterSecret.generate(new SecureRandom())) {
      RecoveryCode code = RecoveryCode.parse(secret.recoveryCode().format());
      try (MasterSecret recovered = MasterSecret.fromRecoveryCode(code)) {
        assertArrayEquals(secret.toBytes(), recovered.toBytes());
        assertArrayEquals(
            secret.derive(KeyPurpose.IDENTITY, 32), recovered.derive(KeyPurpose.IDENTITY, 32));
      }
    }
  }

  @Test
  void derive_isDeterministic_andSeparatesPurposes() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      Set<String> keys = new HashSet<>();
      for (KeyPurpose purpose : KeyPurpose.values()) {
        assertArrayEquals(secret.derive(purpose, 32), secret.derive(purpose, 32));
        assertTrue(keys.add(HexFormat.of().formatHex(secret.derive(purpose, 32))));
      }
    }
  }

  @Test
  void derive_prefixProperty_andLengthLimits() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      byte[] longest = secret.derive(KeyPurpose.BLOB, 8160);
      assertArrayEquals(Arrays.copyOf(longest, 1), secret.derive(KeyPurpose.BLOB, 1));
      assertArrayEquals(Arrays.copyOf(longest, 33), secret.derive(KeyPurpose.BLOB, 33));
      assertThrows(IllegalArgumentException.class, () -> secret.derive(KeyPurpose.BLOB, 0));
      assertThrows(IllegalArgumentException.class, () -> secret.derive(KeyPurpose.BLOB, 8161));
      assertThrows(IllegalArgumentException.class, () -> secret.derive(KeyPurpose.BLOB, -1));
    }
  }

  @Test
  void differentSecrets_deriveDifferentKeys() {
    byte[] other = HexFormat.of().parseHex(GoldenVectorsTest.SECRET_HEX);
    other[15] ^= 1;
    try (MasterSecret a = GoldenVectorsTest.secret();
        MasterSecret b = MasterSecret.fromBytes(other)) {
      assertNotEquals(
          HexFormat.of().formatHex(a.derive(KeyPurpose.BLOB, 32)),
          HexFormat.of().formatHex(b.derive(KeyPurpose.BLOB, 32)));
    }
  }

  @Test
  void destroy_wipesAndBlocksFurtherUse() {
    MasterSecret secret = GoldenVectorsTest.secret();
    assertFalse(secret.isDestroyed());
    secret.destroy();
    assertTrue(secret.isDestroyed());
    assertThrows(IllegalStateException.class, () -> secret.derive(KeyPurpose.BLOB, 32));
    assertThrows(IllegalStateException.class, secret::toBytes);
    assertThrows(IllegalStateException.class, secret::recoveryCode);
    assertThrows(IllegalStateException.class, () -> ChunkIdKey.derive(secret));
    assertThrows(IllegalStateException.class, () -> AeadCipher.derive(secret, KeyPurpose.BLOB));
    assertThrows(IllegalStateException.class, () -> Identity.derive(secret));
    secret.destroy(); // idempotent
    secret.close();
    assertEquals("MasterSecret[redacted]", secret.toString());
  }

  @Test
  void close_destroys() {
    MasterSecret kept;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      kept = secret;
    }
    assertTrue(kept.isDestroyed());
    assertThrows(IllegalStateException.class, kept::toBytes);
  }

  @Test
  void toString_revealsNothing() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      assertEquals("MasterSecret[redacted]", secret.toString());
    }
  }
}
