package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AeadCipherTest {

  private static final byte[] AD = "pack 42".getBytes(StandardCharsets.US_ASCII);

  private static AeadCipher blobCipher() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      return AeadCipher.derive(secret, KeyPurpose.BLOB);
    }
  }

  @Test
  void seal_thenOpen_roundTripsManySizes() {
    AeadCipher cipher = blobCipher();
    Random random = new Random(5);
    for (int size : new int[] {0, 1, 15, 16, 17, 4095, 65_536, 100_003}) {
      byte[] plaintext = new byte[size];
      random.nextBytes(plaintext);
      byte[] sealed = cipher.seal(plaintext, 0, size, AD);
      assertEquals(size + AeadCipher.OVERHEAD, sealed.length);
      assertArrayEquals(plaintext, cipher.open(sealed, 0, sealed.length, AD));
    }
  }

  @Test
  void sealInto_prefixAndSlice_atAnOffset_opensToTheJoinedPlaintext_andLeavesTheRestOfTheBuffer() {
    AeadCipher cipher = blobCipher();
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 15, 16, 17, 16_383, 16_385, 100_003}) {
      byte[] prefix = {(byte) size};
      byte[] framed = new byte[5 + size + 3];
      random.nextBytes(framed);
      byte[] out = new byte[11 + AeadCipher.OVERHEAD + 1 + size + 9];
      random.nextBytes(out);
      byte[] before = out.clone();
      int n = cipher.sealInto(prefix, framed, 5, size, AD, out, 11);
      assertEquals(AeadCipher.OVERHEAD + 1 + size, n);
      byte[] expected = new byte[1 + size];
      expected[0] = prefix[0];
      System.arraycopy(framed, 5, expected, 1, size);
      assertArrayEquals(expected, cipher.open(out, 11, n, AD));
      assertArrayEquals(Arrays.copyOf(before, 11), Arrays.copyOf(out, 11), "bytes before the message untouched");
      assertArrayEquals(Arrays.copyOfRange(before, 11 + n, before.length), Arrays.copyOfRange(out, 11 + n, out.length),
          "bytes after the message untouched");
    }
  }

  /**
   * Flips, one at a time, a byte of the IV (first and last), the first and a middle byte of the
   * ciphertext and the last of the tag of the message at {@code pack[start ..]}, runs the check, and
   * flips it back.
   */
  private static void eachTamperedByte(byte[] pack, int start, int sealedLength, java.util.function.IntConsumer check) {
    for (int at : new int[] {start, start + 11, start + 12, start + sealedLength / 2, start + sealedLength - 1}) {
      pack[at] ^= 1;
      check.accept(at);
      pack[at] ^= 1;
    }
  }

  @Test
  void open_inPlace_insideALargerBuffer_matchesOpeningACopy_andRejectsEveryTamperedByte() {
    AeadCipher cipher = blobCipher();
    Random random = new Random(8);
    for (int size : new int[] {0, 1, 16, 1000, 70_001}) {
      byte[] plaintext = new byte[size];
      random.nextBytes(plaintext);
      byte[] sealed = cipher.seal(plaintext, 0, size, AD);
      byte[] pack = new byte[9 + sealed.length + 4];
      System.arraycopy(sealed, 0, pack, 9, sealed.length);
      assertArrayEquals(plaintext, cipher.open(pack, 9, sealed.length, AD));
      assertArrayEquals(cipher.open(sealed, AD), cipher.open(pack, 9, sealed.length, AD));
      assertThrows(AuthenticationFailedException.class, () -> cipher.open(pack, 9, sealed.length, "other".getBytes()));
      eachTamperedByte(pack, 9, sealed.length, at ->
          assertThrows(AuthenticationFailedException.class, () -> cipher.open(pack, 9, sealed.length, AD), "byte " + at));
      assertThrows(AuthenticationFailedException.class, () -> cipher.open(pack, 9, sealed.length - 1, AD));
    }
  }

  @Test
  void openInto_atAnOffset_matchesOpen_andTamperingLeavesNoPlaintextBehind() {
    AeadCipher cipher = blobCipher();
    Random random = new Random(9);
    for (int size : new int[] {0, 1, 16, 1000, 70_001}) {
      byte[] plaintext = new byte[size];
      random.nextBytes(plaintext);
      byte[] sealed = cipher.seal(plaintext, 0, size, AD);
      byte[] pack = new byte[5 + sealed.length + 3];
      System.arraycopy(sealed, 0, pack, 5, sealed.length);
      byte[] out = new byte[size + 20];
      Arrays.fill(out, (byte) 0x5a);
      assertEquals(size, cipher.openInto(pack, 5, sealed.length, AD, out, 7));
      assertArrayEquals(plaintext, Arrays.copyOfRange(out, 7, 7 + size));
      assertArrayEquals(cipher.open(sealed, AD), Arrays.copyOfRange(out, 7, 7 + size));
      assertEquals(0x5a, out[6], "byte before the output untouched");
      assertEquals(0x5a, out[7 + size], "byte after the output untouched");
      eachTamperedByte(pack, 5, sealed.length, at -> {
        Arrays.fill(out, (byte) 0x5a);
        assertThrows(AuthenticationFailedException.class, () -> cipher.openInto(pack, 5, sealed.length, AD, out, 7),
            "byte " + at);
        for (int i = 7; i < 7 + size; i++) {
          assertEquals(0, out[i], "no plaintext left at " + i + " after a failed open");
        }
      });
      assertThrows(AuthenticationFailedException.class,
          () -> cipher.openInto(pack, 5, sealed.length, "other".getBytes(StandardCharsets.US_ASCII), out, 7));
      assertThrows(AuthenticationFailedException.class, () -> cipher.openInto(pack, 5, 27, AD, out, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> cipher.openInto(pack, 5, sealed.length, AD, out, 21));
    }
    byte[] plaintext = "no associated data".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = cipher.seal(plaintext, null);
    byte[] out = new byte[plaintext.length];
    cipher.openInto(sealed, 0, sealed.length, new byte[0], out, 0);
    assertArrayEquals(plaintext, out);
  }

  @Test
  void seal_thenOpen_oneMebibyte() {
    AeadCipher cipher = blobCipher();
    byte[] plaintext = new byte[1 << 20];
    new Random(6).nextBytes(plaintext);
    for (int i = 0; i < 5; i++) {
      byte[] sealed = cipher.seal(plaintext, 0, plaintext.length, AD);
      assertEquals(plaintext.length + 28, sealed.length);
      assertArrayEquals(plaintext, cipher.open(sealed, 0, sealed.length, AD));
    }
  }

  @Test
  void seal_andOpen_honourOffsetAndLength() {
    AeadCipher cipher = blobCipher();
    byte[] buffer = new byte[1000];
    new Random(7).nextBytes(buffer);
    byte[] sealed = cipher.seal(buffer, 100, 500, AD);
    byte[] framed = new byte[sealed.length + 50];
    System.arraycopy(sealed, 0, framed, 20, sealed.length);
    assertArrayEquals(
        Arrays.copyOfRange(buffer, 100, 600), cipher.open(framed, 20, sealed.length, AD));
    assertThrows(IndexOutOfBoundsException.class, () -> cipher.seal(buffer, 900, 101, AD));
    assertThrows(IndexOutOfBoundsException.class, () -> cipher.open(framed, 60, framed.length, AD));
  }

  @Test
  void seal_usesAFreshIvEachTime() {
    AeadCipher cipher = blobCipher();
    byte[] plaintext = "same".getBytes(StandardCharsets.US_ASCII);
    byte[] a = cipher.seal(plaintext, AD);
    byte[] b = cipher.seal(plaintext, AD);
    assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)));
  }

  @Test
  void layout_isIvThenCiphertextThenTag_asPlainAesGcm() throws Exception {
    byte[] key;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      key = secret.derive(KeyPurpose.METADATA, 32);
    }
    AeadCipher cipher;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      cipher = AeadCipher.derive(secret, KeyPurpose.METADATA);
    }
    byte[] plaintext = new byte[3000];
    new Random(8).nextBytes(plaintext);
    byte[] sealed = cipher.seal(plaintext, AD);

    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    jce.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, sealed, 0, 12));
    jce.updateAAD(AD);
    assertArrayEquals(plaintext, jce.doFinal(sealed, 12, sealed.length - 12));
  }

  @Test
  void nullAssociatedData_isTheSameAsEmpty() {
    AeadCipher cipher = blobCipher();
    byte[] plaintext = "x".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(plaintext, cipher.open(cipher.seal(plaintext, null), new byte[0]));
    assertArrayEquals(plaintext, cipher.open(cipher.seal(plaintext, new byte[0]), null));
  }

  @Test
  void open_truncatedOrEmpty_failsAuthentication() {
    AeadCipher cipher = blobCipher();
    byte[] sealed = cipher.seal(new byte[10], AD);
    for (int length = 0; length < sealed.length; length++) {
      int n = length;
      AuthenticationFailedException e =
          assertThrows(
              AuthenticationFailedException.class, () -> cipher.open(sealed, 0, n, AD));
      assertEquals("AUTHENTICATION_FAILED", e.code());
    }
  }

  @Test
  void open_withWrongAssociatedDataOrKey_failsWithoutRevealingKeys() {
    AeadCipher cipher = blobCipher();
    byte[] sealed = cipher.seal("secret stuff".getBytes(StandardCharsets.US_ASCII), AD);
    AuthenticationFailedException e =
        assertThrows(
            AuthenticationFailedException.class,
            () -> cipher.open(sealed, "pack 43".getBytes(StandardCharsets.US_ASCII)));
    AeadCipher other;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      other = AeadCipher.derive(secret, KeyPurpose.PACK_HEADER);
    }
    assertThrows(AuthenticationFailedException.class, () -> other.open(sealed, AD));
    String key;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      key = HexFormat.of().formatHex(secret.derive(KeyPurpose.BLOB, 32));
    }
    assertFalse(e.getMessage().contains(key));
    assertTrue(e.getMessage().contains("selfstorage/v1/blob"));
    assertFalse(cipher.toString().contains(key));
    assertEquals("AeadCipher[AES-256-GCM, BLOB, key redacted]", cipher.toString());
  }

  @Test
  void aFailedOpen_leavesTheThreadsCipherFitForTheNextMessage() {
    // each thread reuses one JCE cipher: a failure half way must not spoil the next message
    AeadCipher cipher = blobCipher();
    byte[] plaintext = new byte[40_000];
    new Random(9).nextBytes(plaintext);
    byte[] sealed = cipher.seal(plaintext, AD);
    byte[] tampered = sealed.clone();
    tampered[tampered.length / 2] ^= 1;
    byte[] out = new byte[plaintext.length];
    for (int i = 0; i < 3; i++) {
      assertThrows(AuthenticationFailedException.class, () -> cipher.openInto(tampered, 0, tampered.length, AD, out, 0));
      assertEquals(plaintext.length, cipher.openInto(sealed, 0, sealed.length, AD, out, 0));
      assertArrayEquals(plaintext, out);
      byte[] again = cipher.seal(plaintext, AD);
      assertArrayEquals(plaintext, cipher.open(again, AD));
    }
  }

  @Test
  void cipher_isUsableFromManyThreads() throws Exception {
    AeadCipher cipher = blobCipher();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < 200; i++) {
                    byte[] plaintext = new byte[random.nextInt(20_000)];
                    random.nextBytes(plaintext);
                    byte[] ad = new byte[] {(byte) seed, (byte) i};
                    assertArrayEquals(plaintext, cipher.open(cipher.seal(plaintext, ad), ad));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void derive_eachPurpose_givesIndependentCiphers() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      byte[] plaintext = "p".getBytes(StandardCharsets.US_ASCII);
      for (KeyPurpose a : KeyPurpose.values()) {
        AeadCipher sealer = AeadCipher.derive(secret, a);
        assertEquals(a, sealer.purpose());
        byte[] sealed = sealer.seal(plaintext, AD);
        for (KeyPurpose b : KeyPurpose.values()) {
          AeadCipher opener = AeadCipher.derive(secret, b);
          if (a == b) {
            assertArrayEquals(plaintext, opener.open(sealed, AD));
          } else {
            assertThrows(AuthenticationFailedException.class, () -> opener.open(sealed, AD));
          }
        }
      }
    }
  }
}
