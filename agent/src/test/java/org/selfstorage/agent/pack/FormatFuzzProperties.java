package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.AuthenticationFailedException;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

/**
 * Shard files and pack headers come back from partners, who may be hostile: whatever bytes arrive,
 * the parsers answer with their typed refusal ({@link ShardDamagedException}, {@link
 * PackFormatException}, or an authentication failure), never another exception, never a huge
 * allocation. The pack header is also fuzzed behind a valid seal, where only our own format
 * checks stand between odd content and the rest of the code.
 */
class FormatFuzzProperties {
  private static final MasterSecret SECRET = MasterSecret.fromBytes(new byte[16]);
  private static final AeadCipher SHARD_KEY = AeadCipher.derive(SECRET, KeyPurpose.SHARD_HEADER);
  private static final AeadCipher PACK_KEY = AeadCipher.derive(SECRET, KeyPurpose.PACK_HEADER);
  private static final PackId PACK = new PackId(BlobSealerTest.random(3, PackId.LENGTH));

  @Property(tries = 300)
  void shard_arbitraryBytes_areRefusedAsDamaged(@ForAll @Size(max = 300) byte[] bytes, @ForAll boolean magic) {
    if (magic && bytes.length >= 4) {
      System.arraycopy(ShardFile.MAGIC, 0, bytes, 0, 4);
    }
    assertThrows(ShardDamagedException.class, () -> ShardFile.verify(bytes, PACK, 0, SHARD_KEY));
  }

  @Property(tries = 300)
  void shard_validShardWithAnyByteChanged_isRefusedAsDamaged(@ForAll @Size(min = 1, max = 200) byte[] body,
      @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor,
      @ForAll @IntRange(min = -3, max = 3) int lengthChange) {
    byte[] shard = ShardFile.encode(PACK, 1, 2, 1, 300, body, SHARD_KEY);
    shard[where % shard.length] ^= (byte) xor;
    byte[] changed = Arrays.copyOf(shard, Math.max(0, shard.length + lengthChange));
    assertThrows(ShardDamagedException.class, () -> ShardFile.verify(changed, PACK, 1, SHARD_KEY));
  }

  @Property(tries = 300)
  void pack_arbitraryBytes_areRefusedTyped(@ForAll @Size(max = 400) byte[] bytes, @ForAll int declaredHeader,
      @ForAll boolean withTrailer) {
    byte[] pack = bytes;
    if (withTrailer) {
      // a well-formed trailer declaring any header length, in front of junk
      pack = ByteBuffer.allocate(bytes.length + PackHeader.TRAILER).put(bytes).putInt(declaredHeader)
          .put(PackHeader.MAGIC).array();
    }
    readExpectingTypedRefusalOrEntries(pack);
  }

  @Provide
  Arbitrary<byte[]> headerPlaintexts() {
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    // version 1 and a count that matches the length, with arbitrary entries: the interesting case
    Arbitrary<byte[]> shaped = Arbitraries.integers().between(0, 4).flatMap(n -> Arbitraries.bytes().array(byte[].class)
        .ofSize(n * 45).map(entries -> ByteBuffer.allocate(5 + entries.length).put((byte) 1).putInt(n).put(entries)
            .array()));
    return Arbitraries.oneOf(any, shaped);
  }

  @Property(tries = 300)
  void pack_authenticHeaderWithArbitraryContent_isRefusedOrReadWithinThePack(
      @ForAll("headerPlaintexts") byte[] plain, @ForAll @Size(max = 100) byte[] blobs) {
    byte[] sealed = PACK_KEY.seal(plain, PackHeader.associatedData(PACK));
    byte[] pack = ByteBuffer.allocate(blobs.length + sealed.length + PackHeader.TRAILER).put(blobs).put(sealed)
        .putInt(sealed.length).put(PackHeader.MAGIC).array();
    List<BlobEntry> entries = readExpectingTypedRefusalOrEntries(pack);
    if (entries != null) {
      for (BlobEntry e : entries) {
        assertTrue(e.offset() >= 0 && e.length() >= 0 && (long) e.offset() + e.length() <= blobs.length,
            "an entry read from a header must lie within the pack's blob area: " + e);
      }
    }
  }

  private static List<BlobEntry> readExpectingTypedRefusalOrEntries(byte[] pack) {
    try {
      return PackHeader.read(PACK, pack, pack.length, PACK_KEY);
    } catch (PackFormatException | AuthenticationFailedException expected) {
      return null;
    } catch (RuntimeException | OutOfMemoryError e) {
      fail("a damaged pack must be refused with PackFormatException, not " + e, e);
      return null;
    }
  }
}
