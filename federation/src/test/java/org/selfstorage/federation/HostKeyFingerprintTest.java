package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;

class HostKeyFingerprintTest {
  private static Identity identity() {
    byte[] b = new byte[16];
    Arrays.fill(b, (byte) 7);
    return Identity.derive(MasterSecret.fromBytes(b));
  }

  @Test
  void of_identity_equalsMinasFingerprint() {
    Identity id = identity();
    HostKeyFingerprint f = HostKeyFingerprint.of(id);
    assertEquals(KeyUtils.getFingerPrint(id.keyPair().getPublic()), f.value());
    assertEquals(f, HostKeyFingerprint.ofPublicKey(id.publicKey()));
    assertEquals(f, HostKeyFingerprint.parse(f.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "SHA256:", "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "MD5:aa:bb", " SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-"})
  void parse_rejects(String text) {
    assertThrows(IllegalArgumentException.class, () -> HostKeyFingerprint.parse(text));
  }
}
