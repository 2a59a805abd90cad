package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.AuthenticationFailedException;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

class PackWriterTest {
  private static final MasterSecret SECRET = MasterSecret.fromBytes(new byte[16]);
  private static final AeadCipher HEADER_KEY = AeadCipher.derive(SECRET, KeyPurpose.PACK_HEADER);
  private static final BlobSealer SEALER = new BlobSealer(AeadCipher.derive(SECRET, KeyPurpose.BLOB), 3);

  private final PackWriter writer = new PackWriter(256 << 10, 4096, HEADER_KEY, new SecureRandom());

  /** Plaintexts put into {@link #filledPack}, by blob id. */
  private final List<byte[]> plains = new ArrayList<>();

  private SealedPack filledPack(int blobs) {
    for (int i = 0; i < blobs; i++) {
      byte[] plain = i % 2 == 0 ? BlobSealerTest.random(i, 1000 + 3000 * i) : BlobSealerTest.text(5000 + i);
      BlobId id = BlobSealerTest.id(100 + i);
      writer.add(id, i == blobs - 1 ? BlobType.TREE : BlobType.DATA, SEALER.seal(id, plain, 0, plain.length),
          plain.length);
      plains.add(plain);
    }
    return writer.finish();
  }

  private static byte[] bytesOf(SealedPack pack) {
    return Arrays.copyOf(pack.bytes(), pack.length());
  }

  @Test
  void read_finishedPack_listsEveryBlobWithItsPlace() {
    SealedPack pack = filledPack(6);
    byte[] bytes = bytesOf(pack);

    List<BlobEntry> header = PackHeader.read(pack.id(), bytes, bytes.length, HEADER_KEY);

    assertEquals(pack.blobs(), header);
    assertEquals(6, header.size());
    int expectedOffset = 0;
    for (int i = 0; i < header.size(); i++) {
      BlobEntry e = header.get(i);
      assertEquals(BlobSealerTest.id(100 + i), e.id());
      assertEquals(pack.id(), e.packId());
      assertEquals(expectedOffset, e.offset(), "blobs are laid out back to back");
      assertEquals(plains.get(i).length, e.rawLength());
      assertEquals(i == 5 ? BlobType.TREE : BlobType.DATA, e.type());
      assertArrayEquals(plains.get(i), SEALER.open(e.id(), bytes, e.offset(), e.length(), e.rawLength()));
      expectedOffset += e.length();
    }
    int headerLength = bytes.length - expectedOffset - PackHeader.TRAILER;
    assertEquals(5 + 6 * (1 + 32 + 12) + AeadCipher.OVERHEAD, headerLength, "the sealed header follows the blobs");
  }

  @Test
  void read_packWithTrailingSlack_readsOnlyLengthBytes() {
    SealedPack pack = filledPack(2);

    assertTrue(pack.bytes().length >= pack.length());
    assertEquals(pack.blobs(), PackHeader.read(pack.id(), pack.bytes(), pack.length(), HEADER_KEY));
  }

  @Test
  void read_emptyPack_listsNoBlobs() {
    SealedPack pack = writer.finish();
    byte[] bytes = bytesOf(pack);

    assertTrue(PackHeader.read(pack.id(), bytes, bytes.length, HEADER_KEY).isEmpty());
  }

  @Test
  void read_withAnotherPackId_isRefused() {
    SealedPack pack = filledPack(3);
    byte[] bytes = bytesOf(pack);
    byte[] other = pack.id().bytes();
    other[15] ^= 1;

    assertThrows(AuthenticationFailedException.class,
        () -> PackHeader.read(new PackId(other), bytes, bytes.length, HEADER_KEY));
  }

  @Test
  void read_anyBitFlippedInHeaderOrTrailer_isRefused() {
    SealedPack pack = filledPack(2);
    byte[] bytes = bytesOf(pack);
    int blobsEnd = pack.blobs().get(1).offset() + pack.blobs().get(1).length();

    for (int bit = blobsEnd * 8; bit < bytes.length * 8; bit++) {
      byte[] altered = bytes.clone();
      altered[bit / 8] ^= (byte) (1 << (bit % 8));
      int b = bit;
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> PackHeader.read(pack.id(), altered, altered.length, HEADER_KEY), () -> "bit " + b + " flipped");
      assertTrue(e instanceof PackFormatException || e instanceof AuthenticationFailedException,
          "bit " + bit + " flipped: " + e);
    }
  }

  @Test
  void read_bitFlippedInABlob_stillReadsTheHeaderButTheBlobFailsToOpen() {
    SealedPack pack = filledPack(2);
    byte[] bytes = bytesOf(pack);
    BlobEntry first = pack.blobs().get(0);
    bytes[first.offset() + 40] ^= 0x10;

    List<BlobEntry> header = PackHeader.read(pack.id(), bytes, bytes.length, HEADER_KEY);

    assertEquals(pack.blobs(), header);
    assertThrows(AuthenticationFailedException.class,
        () -> SEALER.open(first.id(), bytes, first.offset(), first.length(), first.rawLength()));
  }

  @Test
  void read_truncatedPack_isRefused() {
    SealedPack pack = filledPack(2);
    byte[] bytes = bytesOf(pack);

    for (int length : new int[] {0, 3, PackHeader.TRAILER - 1, PackHeader.TRAILER, bytes.length / 2, bytes.length - 1}) {
      int l = length;
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> PackHeader.read(pack.id(), bytes, l, HEADER_KEY), () -> "truncated to " + l);
      assertTrue(e instanceof PackFormatException || e instanceof AuthenticationFailedException, e.toString());
    }
  }

  @Test
  void finish_startsAFreshPackWithANewId() {
    SealedPack first = filledPack(1);

    assertTrue(writer.isEmpty());
    assertEquals(0, writer.length());
    SealedPack second = filledPack(1);

    assertNotEquals(first.id(), second.id());
    assertEquals(second.id(), second.blobs().get(0).packId());
    byte[] firstBytes = bytesOf(first);
    assertEquals(first.blobs(), PackHeader.read(first.id(), firstBytes, firstBytes.length, HEADER_KEY),
        "finishing the next pack must not disturb the bytes of the previous one");
  }

  @Test
  void isFull_afterReachingTheTarget_isTrue() {
    PackWriter small = new PackWriter(10_000, 100, HEADER_KEY, new SecureRandom());
    int added = 0;
    while (!small.isFull()) {
      byte[] plain = BlobSealerTest.random(added, 3000);
      BlobId id = BlobSealerTest.id(added);
      small.add(id, BlobType.DATA, SEALER.seal(id, plain, 0, plain.length), plain.length);
      added++;
    }

    assertEquals(4, added, "3000-byte blobs fill a 10,000-byte pack with the fourth");
    assertFalse(small.isEmpty());
    SealedPack pack = small.finish();
    assertEquals(4, PackHeader.read(pack.id(), pack.bytes(), pack.length(), HEADER_KEY).size());
  }

  @Test
  void add_moreThanTheBufferHolds_growsAndKeepsEveryBlob() {
    PackWriter small = new PackWriter(1, 1, HEADER_KEY, new SecureRandom());
    byte[] big = BlobSealerTest.random(1, 3 << 20);
    List<BlobId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BlobId id = BlobSealerTest.id(i);
      small.add(id, BlobType.DATA, SEALER.seal(id, big, 0, big.length), big.length);
      ids.add(id);
    }

    SealedPack pack = small.finish();

    List<BlobEntry> header = PackHeader.read(pack.id(), pack.bytes(), pack.length(), HEADER_KEY);
    assertEquals(ids, header.stream().map(BlobEntry::id).toList());
    BlobEntry last = header.get(2);
    assertArrayEquals(big, SEALER.open(last.id(), pack.bytes(), last.offset(), last.length(), last.rawLength()));
  }
}
