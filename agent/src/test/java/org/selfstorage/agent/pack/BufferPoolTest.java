package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

class BufferPoolTest {

  @Test
  void take_roundsUpToWholeMiBWithTheArrayHeader_andGivenBackArraysAreReused() {
    BufferPool pool = new BufferPool(2);
    byte[] a = pool.take(3_000_000);
    assertEquals((3 << 20) - 64, a.length, "with its header, the array fills three 1 MiB heap regions");
    assertEquals((4 << 20) - 64, pool.take(3 << 20).length, "exactly 3 MiB does not fit in three regions");
    pool.give(a);
    assertSame(a, pool.take(2_500_000), "a smaller request fits the idle array");
  }

  @Test
  void take_neverHandsOutAnArrayThatIsTooSmall_andDropsOneThatNeverFits() {
    BufferPool pool = new BufferPool(2);
    byte[] small = pool.take(1);
    pool.give(small);
    byte[] big = pool.take((1 << 20) + 1);
    assertNotSame(small, big);
    assertTrue(big.length >= (1 << 20) + 1);
    assertEquals(0, pool.idle(), "the array too small for this request was let go");
  }

  @Test
  void give_keepsAtMostTheLimit() {
    BufferPool pool = new BufferPool(2);
    pool.give(new byte[1]);
    pool.give(new byte[1]);
    pool.give(new byte[1]);
    pool.give(null);
    assertEquals(2, pool.idle());
  }

  @Test
  void packWriter_takesItsBuffersFromThePool_andAReleasedBufferCarriesALaterPack() {
    BufferPool pool = new BufferPool(4);
    AeadCipher headerKey = AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.PACK_HEADER);
    PackWriter writer = new PackWriter(1000, 4096, headerKey, new SecureRandom(), pool);
    SealedPack first = oneBlobPack(writer, 1);
    assertEquals((1 << 20) - 64, first.bytes().length, "a pooled buffer, in whole MiB with its header");
    first.release();
    assertEquals(1, pool.idle());
    SealedPack second = oneBlobPack(writer, 2); // the writer's next buffer is the released one
    assertEquals(0, pool.idle());
    SealedPack third = oneBlobPack(writer, 3);
    assertNotSame(first.bytes(), second.bytes());
    assertSame(first.bytes(), third.bytes());
    assertEquals(List.of(new BlobId(id(3))), third.blobs().stream().map(BlobEntry::id).toList());
  }

  @Test
  void pooledPackWriter_finishesThePackWhenTheNextBlobWouldNotFit_andNeverGrowsItsBuffer() {
    BufferPool pool = new BufferPool(4);
    AeadCipher headerKey = AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.PACK_HEADER);
    BlobSealer sealer = new BlobSealer(AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.BLOB), 1);
    int capacity = BufferPool.lengthWithin(1 << 20);
    PackWriter writer = new PackWriter(capacity, capacity, headerKey, new SecureRandom(), pool);
    byte[] plain = new byte[300_000];
    new java.util.Random(3).nextBytes(plain); // incompressible: sealed at its full size
    List<SealedPack> finished = new java.util.ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      try (BlobSealer.Framed f = sealer.frame(plain, 0, plain.length)) {
        SealedPack before = writer.add(new BlobId(id(i)), BlobType.DATA, f, plain.length);
        if (before != null) {
          finished.add(before);
        }
      }
    }
    finished.add(writer.finish());
    assertEquals(List.of(3, 3, 1), finished.stream().map(p -> p.blobs().size()).toList(), "three 300 kB blobs per MiB");
    for (SealedPack p : finished) {
      assertEquals(capacity, p.bytes().length, "the pooled buffer never grew");
      List<BlobEntry> header = PackHeader.read(p.id(), p.bytes(), p.length(), headerKey);
      assertEquals(p.blobs(), header);
      for (BlobEntry e : header) {
        assertArrayEquals(plain, sealer.open(e.id(), p.bytes(), e.offset(), e.length(), e.rawLength()));
      }
    }
  }

  private static SealedPack oneBlobPack(PackWriter writer, int n) {
    writer.add(new BlobId(id(n)), BlobType.DATA, new byte[2000], 1972);
    return writer.finish();
  }

  private static byte[] id(int n) {
    byte[] b = new byte[BlobId.LENGTH];
    b[0] = (byte) n;
    return b;
  }
}
