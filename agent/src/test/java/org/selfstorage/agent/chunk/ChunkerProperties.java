package org.selfstorage.agent.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ChunkerProperties {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @Provide
  Arbitrary<ChunkerParams> smallParams() {
    return Arbitraries.integers()
        .between(10, 14)
        .flatMap(
            bits -> {
              int average = 1 << bits;
              return Combinators.combine(
                      Arbitraries.integers().between(1, average - 1),
                      Arbitraries.integers().between(average + 1, 4 * average))
                  .as((min, max) -> new ChunkerParams(min, average, max));
            });
  }

  /** Random, text-like, or random with zero runs, so that every cut rule gets exercised. */
  static byte[] data(long seed, int size) {
    SplittableRandom r = new SplittableRandom(seed);
    switch (r.nextInt(3)) {
      case 0:
        return Chunks.random(seed, size);
      case 1:
        return Chunks.textLike(seed, size);
      default:
        byte[] b = Chunks.random(seed, size);
        for (int runs = r.nextInt(4); runs > 0 && size > 0; runs--) {
          int from = r.nextInt(size);
          java.util.Arrays.fill(b, from, Math.min(size, from + r.nextInt(1 + size / 3)), (byte) 0);
        }
        return b;
    }
  }

  @Property(tries = 200)
  void chunks_concatenateToInput_withinBounds_andMatchReference(
      @ForAll("smallParams") ChunkerParams params,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300_000) int size) {
    byte[] data = data(seed, size);
    Chunker chunker = new Chunker(params);
    List<Integer> lengths = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int off = 0; off < size; ) {
      int remaining = size - off;
      int n = chunker.cut(data, off, remaining);
      assertTrue(
          n >= Math.min(remaining, params.min()) && n <= Math.min(remaining, params.max()),
          () -> "chunk of " + n + " with " + remaining + " left, " + params);
      assertTrue(n > 0);
      joined.write(data, off, n);
      lengths.add(n);
      off += n;
    }
    assertArrayEquals(data, joined.toByteArray());
    assertEquals(Chunks.lengths(new ReferenceChunker(params), data), lengths);
  }

  @Property(tries = 50)
  void reader_withShortReads_givesTheSameChunksAsCut(
      @ForAll("smallParams") ChunkerParams params,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400_000) int size,
      @ForAll @IntRange(min = 1, max = 70_000) int maxRead)
      throws IOException {
    byte[] data = data(seed, size);
    Chunker chunker = new Chunker(params);
    assertReadsAsCut(new ChunkReader(chunker), new TrickleChannel(data, maxRead, seed), data,
        Chunks.lengths(chunker, data));
  }

  /** {@code reader} gives back all of {@code data}, cut into chunks of exactly {@code expected} lengths. */
  private static void assertReadsAsCut(ChunkReader reader, ReadableByteChannel in, byte[] data, List<Integer> expected)
      throws IOException {
    List<Integer> lengths = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    long total = reader.read(in, (buf, off, len) -> {
      lengths.add(len);
      joined.write(buf, off, len);
    });
    assertEquals(data.length, total);
    assertArrayEquals(data, joined.toByteArray());
    assertEquals(expected, lengths);
  }

  /** Reading ahead on another thread must not move a single cut, whatever the reads return. */
  @Property(tries = 50)
  void reader_readingAhead_givesTheSameChunksAsCut(
      @ForAll("smallParams") ChunkerParams params,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 600_000) int size,
      @ForAll @IntRange(min = 1, max = 70_000) int maxRead)
      throws IOException {
    byte[] data = data(seed, size);
    Chunker chunker = new Chunker(params);
    java.util.concurrent.ExecutorService filler = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      ChunkReader reader = new ChunkReader(chunker, filler);
      for (int round = 0; round < 2; round++) { // the second stream reuses both buffers
        assertReadsAsCut(reader, new TrickleChannel(data, maxRead, seed + round), data, Chunks.lengths(chunker, data));
      }
    } finally {
      filler.shutdownNow();
    }
  }

  /**
   * The real sizes: buffers of 8 MiB filled in 1 MiB reads, several fills per stream, with and
   * without reading ahead (small parameters never needed more than one read per fill).
   */
  @net.jqwik.api.Example
  void reader_withDefaultParams_overManyFills_givesTheSameChunksAsCut() throws IOException {
    byte[] data = data(11, 40 << 20);
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    List<Integer> expected = Chunks.lengths(chunker, data);
    java.util.concurrent.ExecutorService filler = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      for (ChunkReader reader : List.of(new ChunkReader(chunker), new ChunkReader(chunker, filler))) {
        for (int maxRead : new int[] {Integer.MAX_VALUE, 300_000}) {
          assertReadsAsCut(reader, new TrickleChannel(data, maxRead, 5), data, expected);
        }
      }
    } finally {
      filler.shutdownNow();
    }
  }

  @Property(tries = 30)
  void zeros_cutAtMax(
      @ForAll("smallParams") ChunkerParams params,
      @ForAll @IntRange(min = 0, max = 500_000) int size) {
    List<Integer> lengths = Chunks.lengths(new Chunker(params), new byte[size]);
    List<Integer> expected = new ArrayList<>();
    for (int left = size; left > 0; left -= params.max()) {
      expected.add(Math.min(left, params.max()));
    }
    assertEquals(expected, lengths);
  }

  /**
   * An edit changes the chunk that holds it and usually nothing else. Rarely (a fraction of a
   * percent of edits on random data) the edit moves a cut across offset {@code average}, where the
   * mask changes, and the difference runs on for several chunks before the cuttings meet again;
   * so the test asserts that the chunks before the edit are all kept and that most of the others
   * are, not an exact count.
   */
  @Property(tries = 5)
  void insertionInTheMiddle_of64MiB_changesOnlyNearbyChunks(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8 * KIB) int inserted,
      @ForAll @IntRange(min = 16 * MIB, max = 48 * MIB) int at) {
    byte[] original = Chunks.random(seed, 64 * MIB);
    byte[] edited = new byte[original.length + inserted];
    System.arraycopy(original, 0, edited, 0, at);
    byte[] insert = Chunks.random(~seed, inserted);
    System.arraycopy(insert, 0, edited, at, inserted);
    System.arraycopy(original, at, edited, at + inserted, original.length - at);
    assertMostChunksShared(original, edited, at);
  }

  @Property(tries = 5)
  void deletionInTheMiddle_of64MiB_changesOnlyNearbyChunks(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8 * KIB) int deleted,
      @ForAll @IntRange(min = 16 * MIB, max = 48 * MIB) int at) {
    byte[] original = Chunks.random(seed, 64 * MIB);
    byte[] edited = new byte[original.length - deleted];
    System.arraycopy(original, 0, edited, 0, at);
    System.arraycopy(original, at + deleted, edited, at, edited.length - at);
    assertMostChunksShared(original, edited, at);
  }

  private static void assertMostChunksShared(byte[] original, byte[] edited, int at) {
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    List<Integer> lengths = Chunks.lengths(chunker, edited);
    Set<String> before = new HashSet<>(Chunks.hashes(original, Chunks.lengths(chunker, original)));
    List<String> after = Chunks.hashes(edited, lengths);
    int end = 0;
    int fresh = 0;
    for (int i = 0; i < after.size(); i++) {
      end += lengths.get(i);
      boolean kept = before.contains(after.get(i));
      if (end <= at) {
        assertTrue(kept, "chunk " + i + " ends before the edit and must be unchanged");
      }
      if (!kept) {
        fresh++;
      }
    }
    int changed = fresh;
    assertTrue(changed >= 1, "the chunk holding the edit is new");
    assertTrue(
        changed <= after.size() / 2, () -> changed + " of " + after.size() + " chunks changed");
  }

  /** A channel that returns at most {@code maxRead} bytes per read, a random amount each time. */
  private static final class TrickleChannel implements ReadableByteChannel {
    private final byte[] data;
    private final int maxRead;
    private final SplittableRandom random;
    private int pos;

    TrickleChannel(byte[] data, int maxRead, long seed) {
      this.data = data;
      this.maxRead = maxRead;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read(ByteBuffer dst) {
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(dst.remaining(), data.length - pos), 1 + random.nextInt(maxRead));
      dst.put(data, pos, n);
      pos += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
