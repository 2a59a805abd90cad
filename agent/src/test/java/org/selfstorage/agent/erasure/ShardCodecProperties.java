package org.selfstorage.agent.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ShardCodecProperties {

  /** A code and a data length: 0, 1, k - 1, k, k + 1, a few blocks, or anything up to 64 KiB. */
  record Case(int k, int m, int length) {}

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.integers()
        .between(1, 12)
        .flatMap(
            k ->
                Arbitraries.integers()
                    .between(0, 6)
                    .flatMap(
                        m ->
                            Arbitraries.oneOf(
                                    Arbitraries.of(0, 1, Math.max(0, k - 1), k, k + 1),
                                    Arbitraries.of(
                                        RowCoder.BLOCK * k, RowCoder.BLOCK * k + 1, 3 * RowCoder.BLOCK * k - 1),
                                    Arbitraries.integers().between(0, 65_536))
                                .map(length -> new Case(k, m, length))));
  }

  private static byte[] data(long seed, int length) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** The indices of {@code keep} shards out of {@code total}, chosen by {@code seed}. */
  private static List<Integer> subset(int total, int keep, long seed) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(seed));
    return all.subList(0, keep);
  }

  @Property(tries = 300)
  void anyKShardsOrMore_decodeToTheData(
      @ForAll("cases") Case c, @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int extra) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[] data = data(seed, c.length());
    int offset = (int) Math.floorMod(seed, 7L);
    byte[] framed = new byte[offset + data.length + 3];
    System.arraycopy(data, 0, framed, offset, data.length);
    byte[][] shards = codec.encode(framed, offset, data.length);
    int total = c.k() + c.m();
    byte[][] present = new byte[total][];
    for (int i : subset(total, Math.min(total, c.k() + extra), seed)) {
      present[i] = shards[i];
    }
    assertArrayEquals(data, codec.decode(present, data.length));
  }

  @Property(tries = 200)
  void encodeInto_reusedLargerBuffers_givesTheSameShardsAsEncode(@ForAll("cases") Case c, @ForAll long seed) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[] data = data(seed, c.length());
    byte[][] expected = codec.encode(data, 0, data.length);
    byte[][] buffers = new byte[c.k() + c.m()][];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = data(seed + 1 + i, codec.shardSize(data.length) + (int) Math.floorMod(seed + i, 100L)); // dirty
    }
    int size = codec.encodeInto(data, 0, data.length, buffers);
    assertEquals(codec.shardSize(data.length), size);
    for (int i = 0; i < buffers.length; i++) {
      assertArrayEquals(expected[i], java.util.Arrays.copyOf(buffers[i], size), "shard " + i);
    }
  }

  @Property(tries = 200)
  void encodeParityInPlace_dataSlicesAndParity_areTheShardsOfEncode(
      @ForAll("cases") Case c, @ForAll long seed, @ForAll @IntRange(min = 0, max = 9) int offset) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[] data = data(seed, c.length());
    byte[][] expected = codec.encode(data, 0, data.length);
    int size = codec.shardSize(data.length);
    // the pack sits at an offset in a larger, dirty buffer, as in a pooled pack buffer
    byte[] pack = data(seed + 7, offset + c.k() * size + 5);
    System.arraycopy(data, 0, pack, offset, data.length);
    byte[][] parity = new byte[c.m()][];
    for (int j = 0; j < parity.length; j++) {
      parity[j] = data(seed + 11 + j, size + 3); // dirty, and longer than a shard
    }
    assertEquals(size, codec.encodeParityInPlace(pack, offset, data.length, parity));
    for (int i = 0; i < c.k(); i++) {
      int from = offset + i * size;
      assertArrayEquals(expected[i], java.util.Arrays.copyOfRange(pack, from, from + size), "data shard " + i);
    }
    for (int j = 0; j < c.m(); j++) {
      assertArrayEquals(expected[c.k() + j], java.util.Arrays.copyOf(parity[j], size), "parity shard " + j);
    }
    assertThrows(IndexOutOfBoundsException.class,
        () -> codec.encodeParityInPlace(new byte[c.k() * size - 1], 0, data.length, parity),
        "a buffer without room for the data shards");
  }

  @Property(tries = 300)
  void reconstruct_recreatesExactlyTheMissingShards(
      @ForAll("cases") Case c, @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int extra) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[][] shards = codec.encode(data(seed, c.length()), 0, c.length());
    int total = c.k() + c.m();
    byte[][] damaged = new byte[total][];
    for (int i : subset(total, Math.min(total, c.k() + extra), seed)) {
      damaged[i] = shards[i];
    }
    codec.reconstruct(damaged);
    for (int i = 0; i < total; i++) {
      assertArrayEquals(shards[i], damaged[i], "shard " + i);
    }
  }

  @Property(tries = 300)
  void reconstruct_intoLongerDirtyBuffers_givesTheSameShardsInTheirFirstBytes(
      @ForAll("cases") Case c, @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int extra) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[][] shards = codec.encode(data(seed, c.length()), 0, c.length());
    int size = shards[0].length;
    int total = c.k() + c.m();
    byte[][] damaged = new byte[total][];
    for (int i : subset(total, Math.min(total, c.k() + extra), seed)) {
      damaged[i] = java.util.Arrays.copyOf(shards[i], size + 5); // as a pooled array holds a body
    }
    java.util.List<byte[]> lent = new java.util.ArrayList<>();
    codec.reconstruct(damaged, size, n -> {
      byte[] b = data(seed + 99 + lent.size(), n + 7); // dirty, and longer than asked for
      lent.add(b);
      return b;
    });
    long missing = java.util.Arrays.stream(shards).count() - Math.min(total, c.k() + extra);
    assertEquals(missing, lent.size(), "one buffer per lost shard");
    for (int i = 0; i < total; i++) {
      assertArrayEquals(shards[i], java.util.Arrays.copyOf(damaged[i], size), "shard " + i);
    }
  }

  @Property(tries = 100)
  void fewerThanK_throwsNotEnoughShards(@ForAll("cases") Case c, @ForAll long seed) {
    ShardCodec codec = new ShardCodec(c.k(), c.m());
    byte[][] shards = codec.encode(data(seed, c.length()), 0, c.length());
    int total = c.k() + c.m();
    int keep = (int) Math.floorMod(seed, (long) c.k()); // 0 .. k-1
    byte[][] present = new byte[total][];
    for (int i : subset(total, keep, seed)) {
      present[i] = shards[i];
    }
    NotEnoughShardsException e =
        assertThrows(NotEnoughShardsException.class, () -> codec.decode(present, c.length()));
    assertEquals(keep, e.present());
    assertEquals(c.k(), e.needed());
    assertThrows(NotEnoughShardsException.class, () -> codec.reconstruct(present.clone()));
  }

  @Property(tries = 4)
  void largeInput_decodesFromAnyKShards(
      @ForAll @IntRange(min = 2, max = 6) int k,
      @ForAll @IntRange(min = 1, max = 3) int m,
      @ForAll long seed) {
    ShardCodec codec = new ShardCodec(k, m);
    int length = 5 * 1024 * 1024 + 13;
    byte[] data = data(seed, length);
    byte[][] shards = codec.encode(data, 0, length);
    byte[][] present = new byte[k + m][];
    for (int i : subset(k + m, k, seed)) {
      present[i] = shards[i];
    }
    assertArrayEquals(data, codec.decode(present, length));
  }

  @Property(tries = 20)
  void wideCodes_upTo255Shards_roundTrip(
      @ForAll @IntRange(min = 1, max = 200) int k,
      @ForAll @IntRange(min = 0, max = 55) int m,
      @ForAll long seed) {
    ShardCodec codec = new ShardCodec(k, m);
    byte[] data = data(seed, 3 * k + 1);
    byte[][] shards = codec.encode(data, 0, data.length);
    byte[][] present = new byte[k + m][];
    for (int i : subset(k + m, k, seed)) {
      present[i] = shards[i];
    }
    assertArrayEquals(data, codec.decode(present, data.length));
  }
}
