package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

class ShardFileTest {
  private static final AeadCipher SHARD_KEY =
      AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.SHARD_HEADER);
  private static final PackId PACK = new PackId(BlobSealerTest.random(1, PackId.LENGTH));
  private static final int INDEX = 2;
  private static final byte[] BODY = BlobSealerTest.random(2, 200);

  private static byte[] shard() {
    return ShardFile.encode(PACK, INDEX, 3, 2, 555, BODY, SHARD_KEY);
  }

  private static ShardDamagedException refused(byte[] shard, Supplier<String> what) {
    return assertThrows(ShardDamagedException.class, () -> ShardFile.verify(shard, PACK, INDEX, SHARD_KEY), what);
  }

  private static void assertMentions(ShardDamagedException e, String words) {
    assertTrue(e.getMessage().contains(words), () -> "message \"" + e.getMessage() + "\" should say " + words);
  }

  @Test
  void verify_originalShard_returnsItsHeader() {
    byte[] shard = shard();

    ShardFile.Header header = ShardFile.verify(shard, PACK, INDEX, SHARD_KEY);

    assertEquals(ShardFile.HEADER + BODY.length, shard.length);
    assertEquals(PACK, header.packId());
    assertEquals(INDEX, header.index());
    assertEquals(3, header.dataShards());
    assertEquals(2, header.parityShards());
    assertEquals(555, header.packLength());
    assertArrayEquals(ShardFile.sha256(BODY, 0, BODY.length), header.bodySha256());
    assertArrayEquals(BODY, ShardFile.body(shard));
  }

  @Test
  void verify_emptyBodyAndHighestIndex_isAccepted() {
    byte[] shard = ShardFile.encode(PACK, 255, 12, 3, 0, new byte[0], SHARD_KEY);

    ShardFile.Header header = ShardFile.verify(shard, PACK, 255, SHARD_KEY);

    assertEquals(255, header.index());
    assertEquals(0, ShardFile.body(shard).length);
  }

  @Test
  void verify_anyBitFlippedInTheHeader_isRefusedSayingHow() {
    byte[] original = shard();
    for (int bit = 0; bit < ShardFile.HEADER * 8; bit++) {
      byte[] shard = original.clone();
      shard[bit / 8] ^= (byte) (1 << (bit % 8));
      int b = bit;

      ShardDamagedException e = refused(shard, () -> "header bit " + b + " flipped");

      assertMentions(e, bit < 32 ? "bad magic" : "header does not authenticate");
    }
  }

  @Test
  void verify_anyBitFlippedInTheBody_isRefusedAsChecksumMismatch() {
    byte[] original = shard();
    for (int bit = ShardFile.HEADER * 8; bit < original.length * 8; bit++) {
      byte[] shard = original.clone();
      shard[bit / 8] ^= (byte) (1 << (bit % 8));
      int b = bit;

      ShardDamagedException e = refused(shard, () -> "body bit " + b + " flipped");

      assertMentions(e, "does not match its checksum");
    }
  }

  @Test
  void verify_everyTruncation_isRefusedSayingItIsShort() {
    byte[] original = shard();
    for (int length = 0; length < original.length; length++) {
      int l = length;

      ShardDamagedException e = refused(Arrays.copyOf(original, length), () -> "truncated to " + l);

      assertMentions(e, length < ShardFile.HEADER ? "truncated" : "header says " + BODY.length);
    }
  }

  @Test
  void verify_extraBytesAtTheEnd_isRefused() {
    ShardDamagedException e = refused(Arrays.copyOf(shard(), ShardFile.HEADER + BODY.length + 1), () -> "one more");

    assertMentions(e, "header says " + BODY.length);
  }

  @Test
  void verify_shardOfAnotherPack_isRefusedNamingBoth() {
    PackId other = new PackId(BlobSealerTest.random(3, PackId.LENGTH));
    byte[] shard = ShardFile.encode(other, INDEX, 3, 2, 555, BODY, SHARD_KEY);

    ShardDamagedException e = refused(shard, () -> "another pack");

    assertMentions(e, "of pack " + other.shortHex());
    assertMentions(e, "of pack " + PACK.shortHex());
  }

  @Test
  void verify_anotherShardOfThePack_isRefusedNamingBothIndices() {
    byte[] shard = ShardFile.encode(PACK, INDEX + 1, 3, 2, 555, BODY, SHARD_KEY);

    ShardDamagedException e = refused(shard, () -> "another index");

    assertMentions(e, "holds shard " + (INDEX + 1));
    assertMentions(e, "instead of shard " + INDEX);
  }

  @Test
  void verify_bodyReplacedWithItsChecksumRecomputed_isRefusedByTheHeaderTag() {
    // what a host could do without the key: swap the body and fix up the plain hash
    byte[] shard = shard();
    byte[] forged = BlobSealerTest.random(4, BODY.length);
    System.arraycopy(forged, 0, shard, ShardFile.HEADER, forged.length);
    byte[] hash = ShardFile.sha256(forged, 0, forged.length);
    System.arraycopy(hash, 0, shard, ShardFile.PLAIN_HEADER - hash.length, hash.length);

    ShardDamagedException e = refused(shard, () -> "forged body");

    assertMentions(e, "header does not authenticate");
  }

  @Test
  void verify_shardSealedWithAnotherKey_isRefused() {
    byte[] otherSecret = new byte[16];
    otherSecret[15] = 9;
    AeadCipher otherKey = AeadCipher.derive(MasterSecret.fromBytes(otherSecret), KeyPurpose.SHARD_HEADER);
    byte[] shard = ShardFile.encode(PACK, INDEX, 3, 2, 555, BODY, otherKey);

    assertMentions(refused(shard, () -> "other key"), "header does not authenticate");
  }

  @Test
  void verify_headerFieldsChangedWithoutTheKey_isRefused() {
    // raising the pack length or k in place must not pass, even though the body is untouched
    byte[] shard = shard();
    ByteBuffer.wrap(shard).putInt(24, 10_000);

    assertMentions(refused(shard, () -> "pack length changed"), "header does not authenticate");
  }

  @Property(tries = 100)
  void sha256_anyRangeAndLength_matchesMessageDigest(@ForAll @IntRange(max = 70_000) int length,
      @ForAll @IntRange(max = 9) int offset, @ForAll long seed) throws Exception {
    byte[] data = BlobSealerTest.random(seed, offset + length + 3);
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(data, offset, length);

    assertArrayEquals(d.digest(), ShardFile.sha256(data, offset, length));
  }

  @Test
  void sha256_lengthsAroundTheStep_matchMessageDigest() throws Exception {
    for (int length : new int[] {0, 1, (16 << 10) - 1, 16 << 10, (16 << 10) + 1, 32 << 10, (48 << 10) + 5}) {
      byte[] data = BlobSealerTest.random(length, length + 1);
      assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(data, 1, length + 1)),
          ShardFile.sha256(data, 1, length), "length " + length);
    }
  }
}
