package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/crypto-formats.md. They were checked against independent
 * implementations (Python's cryptography package for HKDF, HMAC, AES-GCM and Ed25519, and
 * OpenSSH's ssh-keygen for the public key line and fingerprint). If one of these tests fails, a
 * stored format changed: existing backups would no longer open.
 */
class GoldenVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  static final String SECRET_HEX = "000102030405060708090a0b0c0d0e0f";

  static MasterSecret secret() {
    return MasterSecret.fromBytes(HEX.parseHex(SECRET_HEX));
  }

  @Test
  void derive_eachPurpose_matchesVector() {
    Map<KeyPurpose, String> expected =
        Map.of(
            KeyPurpose.CHUNK_ID, "c52441388f23b13100691efb20a39065300d78ed1bb4687bedd2c40129b8feba",
            KeyPurpose.BLOB, "15458fdbde33a8adbeef7a5c6d1cb4037917f5306a0633acde8bf26e4391db29",
            KeyPurpose.PACK_HEADER,
                "5e9b9f62cddfeecb6b40f737604dc254d06259caa1301766ae165925c926919b",
            KeyPurpose.SHARD_HEADER,
                "52947cf789d0f42087bbd19a86e8e162773af3a175b1e9483956b6d46febaa05",
            KeyPurpose.METADATA, "5354641efbe7a937fbc54e9e4ce7329783cf6e925e7c50f00ee419478f5a33fc",
            KeyPurpose.IDENTITY, "8ba359a1bc68e7941fe61416206235cd3dc360a4d7cbe7205c6313f07102f1ac",
            KeyPurpose.CATALOG_BACKUP,
                "3c89bf83dbb1b073c4261a5c51fe2163a8bc63acc55f225aade7230d40a7fd1e");
    assertEquals(KeyPurpose.values().length, expected.size(), "a vector for every purpose");
    try (MasterSecret secret = secret()) {
      for (KeyPurpose purpose : KeyPurpose.values()) {
        assertEquals(expected.get(purpose), HEX.formatHex(secret.derive(purpose, 32)), purpose.name());
      }
    }
  }

  @Test
  void derive_longerOutput_extendsShorterOutput() {
    try (MasterSecret secret = secret()) {
      assertEquals(
          "c52441388f23b13100691efb20a39065300d78ed1bb4687bedd2c40129b8feba"
              + "bbb07cf515a80dbb0deeaf23779aa84ac6a40f1893e61c07032738f6978a5f38",
          HEX.formatHex(secret.derive(KeyPurpose.CHUNK_ID, 64)));
    }
  }

  @Test
  void labels_areFrozen() {
    assertEquals("selfstorage/v1/chunk-id", KeyPurpose.CHUNK_ID.label());
    assertEquals("selfstorage/v1/blob", KeyPurpose.BLOB.label());
    assertEquals("selfstorage/v1/pack-header", KeyPurpose.PACK_HEADER.label());
    assertEquals("selfstorage/v1/shard-header", KeyPurpose.SHARD_HEADER.label());
    assertEquals("selfstorage/v1/metadata", KeyPurpose.METADATA.label());
    assertEquals("selfstorage/v1/identity", KeyPurpose.IDENTITY.label());
    assertEquals("selfstorage/v1/catalog-backup", KeyPurpose.CATALOG_BACKUP.label());
  }

  @Test
  void chunkId_ofHello_matchesVector() {
    try (MasterSecret secret = secret()) {
      byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
      assertEquals(
          "e7c3536ea544d70803aa55fb8d93b9c8e145257f36db8fe17d7e1b6070f70ddf",
          HEX.formatHex(ChunkIdKey.derive(secret).id(hello, 0, hello.length)));
    }
  }

  @Test
  void recoveryCode_matchesVector_andParsesBack() {
    try (MasterSecret secret = secret()) {
      assertEquals("00041-06105-0R3GG-28A1C-60T3G-F2XDJ", secret.recoveryCode().format());
    }
    assertArrayEquals(
        HEX.parseHex(SECRET_HEX),
        RecoveryCode.parse("00041-06105-0R3GG-28A1C-60T3G-F2XDJ").secretBytes());
    assertEquals(
        "00000-00000-00000-00000-00000-0Q7ZE", RecoveryCode.of(new byte[16]).format());
    byte[] ones = HEX.parseHex("ffffffffffffffffffffffffffffffff");
    assertEquals("7ZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZVMS4", RecoveryCode.of(ones).format());
  }

  @Test
  void identity_matchesVector() {
    try (MasterSecret secret = secret()) {
      Identity identity = Identity.derive(secret);
      assertEquals(
          "91080f143b1a7654345b753a129bb3f5f2b2cb8b5a5ee2c70819e94709809359",
          HEX.formatHex(identity.publicKey()));
      assertEquals("SHA256:oOty6LzRxoQfe9W58QheRovWGaGOFedxqxqfDS8DiEs", identity.fingerprint());
      assertEquals(
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJEIDxQ7GnZUNFt1OhKbs/XyssuLWl7ixwgZ6UcJgJNZ",
          identity.openSshPublicKey());
      // Ed25519 signatures are deterministic (RFC 8032).
      assertEquals(
          "d8dd5a73ab56d97f036bfe125eb5e6ac0e1d90798080e02ec4f2c867e0a383ee"
              + "70ec5c4f8f488fb4f098f64c25f0f6fc4df5598142ab26702bf5d358d615c40b",
          HEX.formatHex(identity.sign("hello".getBytes(StandardCharsets.US_ASCII))));
    }
  }

  /** AES-256-GCM under the BLOB key, IV a0a1..ab, made with an independent implementation. */
  static final String STORED_CIPHERTEXT =
      "a0a1a2a3a4a5a6a7a8a9aaab"
          + "f5eb34daba0f6f09d2ce52fb366d4989cfa09ee0623148"
          + "fefd8115fae0e688c61c3553049bcecd";

  static final byte[] STORED_PLAINTEXT =
      "selfstorage test vector".getBytes(StandardCharsets.US_ASCII);
  static final byte[] STORED_ASSOCIATED_DATA =
      "pack 0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aead_storedCiphertext_opensToKnownPlaintext() {
    try (MasterSecret secret = secret()) {
      AeadCipher cipher = AeadCipher.derive(secret, KeyPurpose.BLOB);
      byte[] stored = HEX.parseHex(STORED_CIPHERTEXT);
      assertEquals(STORED_PLAINTEXT.length + AeadCipher.OVERHEAD, stored.length);
      assertArrayEquals(
          STORED_PLAINTEXT, cipher.open(stored, 0, stored.length, STORED_ASSOCIATED_DATA));
      byte[] into = new byte[STORED_PLAINTEXT.length];
      cipher.openInto(stored, 0, stored.length, STORED_ASSOCIATED_DATA, into, 0);
      assertArrayEquals(STORED_PLAINTEXT, into, "the JDK path reads what Tink wrote");
    }
  }

  @Test
  void aead_storedCiphertext_withOtherAssociatedData_fails() {
    try (MasterSecret secret = secret()) {
      AeadCipher cipher = AeadCipher.derive(secret, KeyPurpose.BLOB);
      byte[] stored = HEX.parseHex(STORED_CIPHERTEXT);
      for (String other :
          new String[] {"", "pack 0123456789abcdeg", "pack 0123456789abcdef ", "PACK 0123456789abcdef"}) {
        byte[] ad = other.getBytes(StandardCharsets.US_ASCII);
        assertThrows(
            AuthenticationFailedException.class,
            () -> cipher.open(stored, 0, stored.length, ad),
            other);
      }
      assertThrows(
          AuthenticationFailedException.class, () -> cipher.open(stored, 0, stored.length, null));
    }
  }

  @Test
  void aead_storedCiphertext_withAnyBitFlipped_fails() {
    try (MasterSecret secret = secret()) {
      AeadCipher cipher = AeadCipher.derive(secret, KeyPurpose.BLOB);
      byte[] stored = HEX.parseHex(STORED_CIPHERTEXT);
      for (int bit = 0; bit < stored.length * 8; bit++) {
        byte[] damaged = stored.clone();
        damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThrows(
            AuthenticationFailedException.class,
            () -> cipher.open(damaged, 0, damaged.length, STORED_ASSOCIATED_DATA),
            "bit " + bit);
      }
    }
  }

  @Test
  void aead_storedCiphertext_underAnotherPurpose_fails() {
    try (MasterSecret secret = secret()) {
      byte[] stored = HEX.parseHex(STORED_CIPHERTEXT);
      for (KeyPurpose purpose : KeyPurpose.values()) {
        if (purpose == KeyPurpose.BLOB) {
          continue;
        }
        AeadCipher cipher = AeadCipher.derive(secret, purpose);
        assertThrows(
            AuthenticationFailedException.class,
            () -> cipher.open(stored, 0, stored.length, STORED_ASSOCIATED_DATA),
            purpose.name());
      }
    }
  }
}
