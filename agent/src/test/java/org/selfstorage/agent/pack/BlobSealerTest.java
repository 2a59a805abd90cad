package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.AuthenticationFailedException;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

class BlobSealerTest {
  private static final AeadCipher BLOB_KEY = AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.BLOB);
  /** What every sealed blob adds to its framed plaintext: the encoding byte, then IV and tag. */
  private static final int RAW_OVERHEAD = 1 + AeadCipher.OVERHEAD;

  private final BlobSealer sealer = new BlobSealer(BLOB_KEY, 3);

  static byte[] random(long seed, int length) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static byte[] text(int length) {
    byte[] line = "the quick brown fox jumps over the lazy dog, again and again\n".getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = line[i % line.length];
    }
    return b;
  }

  static BlobId id(long seed) {
    return new BlobId(random(seed, BlobId.LENGTH));
  }

  @Test
  void seal_compressibleData_isCompressedAndOpensToTheSameBytes() {
    byte[] plain = text(64 << 10);
    BlobId id = id(1);

    byte[] sealed = sealer.seal(id, plain, 0, plain.length);

    assertTrue(sealed.length < plain.length / 4, "sealed " + sealed.length + " bytes of " + plain.length);
    assertArrayEquals(plain, sealer.open(id, sealed, 0, sealed.length, plain.length));
  }

  @Test
  void openView_withOneScratch_opensBlobAfterBlob_andADamagedOneDoesNotSpoilTheNext() {
    int[] sizes = {300_000, 10, 0, 1 << 20, 129, 70_000};
    try (BlobSealer.Scratch scratch = new BlobSealer.Scratch()) {
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < sizes.length; i++) {
          byte[] plain = i % 2 == 0 ? text(sizes[i]) : random(i, sizes[i]); // zstd and raw in turn
          BlobId id = id(100 + i);
          byte[] sealed = sealer.seal(id, plain, 0, plain.length);
          byte[] pack = new byte[sealed.length + 13];
          System.arraycopy(sealed, 0, pack, 13, sealed.length);
          java.nio.ByteBuffer view = sealer.openView(id, pack, 13, sealed.length, plain.length, scratch);
          byte[] got = new byte[view.remaining()];
          view.get(got);
          assertArrayEquals(plain, got, "size " + sizes[i]);
          pack[13 + sealed.length / 2] ^= 1;
          assertThrows(AuthenticationFailedException.class,
              () -> sealer.openView(id, pack, 13, sealed.length, plain.length, scratch));
          pack[13 + sealed.length / 2] ^= 1;
          if (plain.length > 0) {
            assertThrows(PackFormatException.class,
                () -> sealer.openView(id, pack, 13, sealed.length, plain.length - 1, scratch),
                "a wrong recorded size is refused");
          }
        }
      }
    }
  }

  @Test
  void seal_randomData_isStoredRawAndOpensToTheSameBytes() {
    byte[] plain = random(2, 64 << 10);
    BlobId id = id(2);

    byte[] sealed = sealer.seal(id, plain, 0, plain.length);

    assertEquals(plain.length + RAW_OVERHEAD, sealed.length, "incompressible data must take the raw path");
    assertArrayEquals(plain, sealer.open(id, sealed, 0, sealed.length, plain.length));
  }

  @Test
  void seal_largeBlobs_areJudgedBySamples_mixedOnesStillCompressed() {
    byte[] media = random(3, 1 << 20);
    byte[] sealedMedia = sealer.seal(id(3), media, 0, media.length);
    assertEquals(media.length + RAW_OVERHEAD, sealedMedia.length, "incompressible: raw, after three samples");
    assertArrayEquals(media, sealer.open(id(3), sealedMedia, 0, sealedMedia.length, media.length));

    // random first half, text second half: the middle and end samples say it pays
    byte[] mixed = new byte[1 << 20];
    System.arraycopy(random(4, mixed.length / 2), 0, mixed, 0, mixed.length / 2);
    System.arraycopy(text(mixed.length / 2), 0, mixed, mixed.length / 2, mixed.length / 2);
    byte[] sealedMixed = sealer.seal(id(4), mixed, 0, mixed.length);
    assertTrue(sealedMixed.length < mixed.length * 6 / 10, "half of it compresses: " + sealedMixed.length);
    assertArrayEquals(mixed, sealer.open(id(4), sealedMixed, 0, sealedMixed.length, mixed.length));

    // an offset slice of a larger buffer, as the chunker hands them over
    byte[] buffer = new byte[3 << 20];
    System.arraycopy(text(1 << 20), 0, buffer, 1 << 20, 1 << 20);
    byte[] sealedSlice = sealer.seal(id(5), buffer, 1 << 20, 1 << 20);
    assertTrue(sealedSlice.length < 64 << 10, "the slice, not the buffer, is judged: " + sealedSlice.length);
    assertArrayEquals(Arrays.copyOfRange(buffer, 1 << 20, 2 << 20),
        sealer.open(id(5), sealedSlice, 0, sealedSlice.length, 1 << 20));
    sealer.close();
    assertArrayEquals(media, sealer.open(id(3), sealer.seal(id(3), media, 0, media.length), 0,
        media.length + RAW_OVERHEAD, media.length), "usable after close");
  }

  @Test
  void seal_smallOrEmptyBlob_isStoredRaw() {
    for (int length : new int[] {0, 1, 127}) {
      byte[] plain = new byte[length]; // zeros: would compress well, but is too small to bother
      BlobId id = id(length);

      byte[] sealed = sealer.seal(id, plain, 0, length);

      assertEquals(length + RAW_OVERHEAD, sealed.length);
      assertArrayEquals(plain, sealer.open(id, sealed, 0, sealed.length, length));
    }
  }

  @Property(tries = 100)
  void frame_sealInto_twoBlobsAtOnce_eachOpensToItsPlaintext(@ForAll long seed,
      @ForAll @IntRange(max = 300_000) int a, @ForAll @IntRange(max = 300_000) int b, @ForAll boolean compressible) {
    byte[] first = compressible ? text(a) : random(seed, a);
    byte[] second = text(b);
    byte[] pack = new byte[7 + a + b + 2 * RAW_OVERHEAD];
    // both framed before either is sealed: each holds its own compression buffer
    try (BlobSealer.Framed f1 = sealer.frame(first, 0, a); BlobSealer.Framed f2 = sealer.frame(second, 0, b)) {
      f1.sealInto(id(seed), pack, 7);
      f2.sealInto(id(seed + 1), pack, 7 + f1.sealedLength());
      assertArrayEquals(first, sealer.open(id(seed), pack, 7, f1.sealedLength(), a));
      assertArrayEquals(second, sealer.open(id(seed + 1), pack, 7 + f1.sealedLength(), f2.sealedLength(), b));
    }
    // and a compression buffer given back serves the next blob
    try (BlobSealer.Framed again = sealer.frame(second, 0, b)) {
      byte[] sealed = new byte[again.sealedLength()];
      again.sealInto(id(seed + 2), sealed, 0);
      assertArrayEquals(second, sealer.open(id(seed + 2), sealed, 0, sealed.length, b));
    }
  }

  @Property(tries = 200)
  void open_ofSeal_returnsThePlaintext(@ForAll long seed, @ForAll @IntRange(max = 200_000) int length,
      @ForAll boolean compressible, @ForAll @IntRange(max = 17) int offset) {
    byte[] content = compressible ? text(length) : random(seed, length);
    byte[] buffer = new byte[offset + length + 5];
    System.arraycopy(content, 0, buffer, offset, length);
    byte[] pack = new byte[offset + 3 * length + 300];
    BlobId id = id(seed);

    byte[] sealed = sealer.seal(id, buffer, offset, length);
    System.arraycopy(sealed, 0, pack, offset, sealed.length);

    assertTrue(sealed.length <= length + RAW_OVERHEAD, "sealing never grows a blob beyond the raw framing");
    assertArrayEquals(content, sealer.open(id, pack, offset, sealed.length, length));
  }

  @Test
  void open_anyByteChanged_throws() {
    for (byte[] plain : new byte[][] {text(600), random(3, 300)}) {
      BlobId id = id(3);
      byte[] sealed = sealer.seal(id, plain, 0, plain.length);
      for (int i = 0; i < sealed.length; i++) {
        byte[] altered = sealed.clone();
        altered[i] ^= 0x01;
        int at = i;
        assertThrows(AuthenticationFailedException.class,
            () -> sealer.open(id, altered, 0, altered.length, plain.length), () -> "byte " + at + " changed");
      }
    }
  }

  @Test
  void open_truncated_throws() {
    byte[] plain = random(4, 500);
    BlobId id = id(4);
    byte[] sealed = sealer.seal(id, plain, 0, plain.length);

    for (int length = 0; length < sealed.length; length += 7) {
      int l = length;
      assertThrows(AuthenticationFailedException.class, () -> sealer.open(id, sealed, 0, l, plain.length));
    }
  }

  @Test
  void open_withAnotherBlobId_throws() {
    byte[] plain = text(1000);
    byte[] sealed = sealer.seal(id(5), plain, 0, plain.length);

    assertThrows(AuthenticationFailedException.class, () -> sealer.open(id(6), sealed, 0, sealed.length, plain.length));
  }

  @Test
  void open_withAnotherKey_throws() {
    byte[] plain = text(1000);
    byte[] sealed = sealer.seal(id(7), plain, 0, plain.length);
    byte[] otherSecret = new byte[16];
    otherSecret[0] = 1;
    BlobSealer other = new BlobSealer(AeadCipher.derive(MasterSecret.fromBytes(otherSecret), KeyPurpose.BLOB), 3);

    assertThrows(AuthenticationFailedException.class, () -> other.open(id(7), sealed, 0, sealed.length, plain.length));
  }

  @Test
  void open_wrongRecordedLength_throwsPackFormatException() {
    for (byte[] plain : new byte[][] {text(10_000), random(8, 10_000)}) {
      BlobId id = id(8);
      byte[] sealed = sealer.seal(id, plain, 0, plain.length);
      for (int wrong : new int[] {0, plain.length - 1, plain.length + 1}) {
        assertThrows(PackFormatException.class, () -> sealer.open(id, sealed, 0, sealed.length, wrong),
            () -> "raw length " + wrong + " accepted for " + plain.length + " bytes");
      }
    }
  }

  @Test
  void open_unknownEncodingByte_throwsPackFormatException() {
    BlobId id = id(9);
    byte[] framed = {7, 1, 2, 3};
    byte[] sealed = BLOB_KEY.seal(framed, id.bytes());

    PackFormatException e = assertThrows(PackFormatException.class, () -> sealer.open(id, sealed, 0, sealed.length, 3));
    assertTrue(e.getMessage().contains("unknown encoding"), e.getMessage());
  }

  @Test
  void seal_sameBlobTwice_givesDifferentCiphertexts() {
    byte[] plain = text(1000);
    BlobId id = id(10);

    assertTrue(!Arrays.equals(sealer.seal(id, plain, 0, plain.length), sealer.seal(id, plain, 0, plain.length)),
        "each seal must use a fresh IV");
  }
}
