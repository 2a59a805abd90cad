package org.selfstorage.agent.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  /** docs/codec-formats.md, "Golden vector": new Random(42).nextBytes over 16 MiB, defaults. */
  static final List<Integer> GOLDEN_RANDOM42_16MIB =
      List.of(
          1098769, 1204478, 1447183, 1669958, 1785831, 1264464, 303982, 1055502, 1227845, 1102605,
          1094373, 1078172, 1158180, 1203961, 81913);

  @Test
  void readsAhead_onlyStreamsLongerThanTheBuffer_andOnlyWithAFiller() {
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    long buffer = 2L * ChunkerParams.defaults().max();
    java.util.concurrent.ExecutorService filler = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      ChunkReader withFiller = new ChunkReader(chunker, filler);
      assertTrue(withFiller.readsAhead(buffer + 1));
      assertFalse(withFiller.readsAhead(buffer));
      assertFalse(new ChunkReader(chunker).readsAhead(buffer + 1));
    } finally {
      filler.shutdownNow();
    }
  }

  @Test
  void defaults_are256KiB_1MiB_4MiB() {
    assertEquals(new ChunkerParams(256 * KIB, MIB, 4 * MIB), ChunkerParams.defaults());
  }

  @Test
  void params_invalid_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(0, 4096, 8192));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 3000, 8192));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(4096, 4096, 8192));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(1024, 4096, 4096));
    assertThrows(IllegalArgumentException.class, () -> new ChunkerParams(16, 512, 4096));
    assertThrows(
        IllegalArgumentException.class, () -> new ChunkerParams(1024, 4096, (1 << 28) + 1));
  }

  @Test
  void params_minAndMaxNotPowersOfTwo_areAccepted() {
    ChunkerParams p = new ChunkerParams(1000, 4096, 10_000);
    assertEquals(1000, p.min());
  }

  @Test
  void gear_matchesSha256Derivation() {
    ReferenceChunker ref = new ReferenceChunker(ChunkerParams.defaults());
    long[] gear = Chunker.gear();
    for (int i = 0; i < 256; i++) {
      assertEquals(ref.gear(i), gear[i], "gear[" + i + "]");
    }
    // Pinned in docs/codec-formats.md; also `printf 'selfstorage/gear/v1\x01' | sha256sum`.
    assertEquals(0x46a24fb1561761b8L, gear[0]);
    assertEquals(0x6c0b0423f5fb03c1L, gear[1]);
    assertEquals(0x7c45f240ac750c9fL, gear[255]);
  }

  @Test
  void gear_wholeTable_hasThePinnedDigest() throws Exception {
    java.nio.ByteBuffer table = java.nio.ByteBuffer.allocate(256 * 8);
    for (long g : Chunker.gear()) {
      table.putLong(g);
    }
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(table.array());
    assertEquals(
        "c42feefe145954f33d63d08656df1f041fd836659ae1cb58c05fdf34efeb735b",
        java.util.HexFormat.of().formatHex(digest));
  }

  @Test
  void random42_firstBytes_areThoseInTheFormatDoc() {
    byte[] head = new byte[8];
    new Random(42).nextBytes(head);
    assertEquals("359d41baf78afe0d", java.util.HexFormat.of().formatHex(head));
  }

  @Test
  void cut_random42_16MiB_matchesGoldenVector() {
    byte[] data = new byte[16 * MIB];
    new Random(42).nextBytes(data);
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    assertEquals(GOLDEN_RANDOM42_16MIB, Chunks.lengths(chunker, data));
    assertEquals(
        GOLDEN_RANDOM42_16MIB,
        Chunks.lengths(new ReferenceChunker(ChunkerParams.defaults()), data));
  }

  @Test
  void cut_allZeros_cutsAtMax() {
    byte[] zeros = new byte[10 * MIB];
    List<Integer> lengths = Chunks.lengths(new Chunker(ChunkerParams.defaults()), zeros);
    assertEquals(List.of(4 * MIB, 4 * MIB, 2 * MIB), lengths);
  }

  @Test
  void cut_zeroRunInsideRandomData_givesIdenticalMaxChunks() {
    byte[] data = Chunks.random(7, 40 * MIB);
    java.util.Arrays.fill(data, 5 * MIB + 123, 30 * MIB, (byte) 0);
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    List<Integer> lengths = Chunks.lengths(chunker, data);
    List<String> hashes = Chunks.hashes(data, lengths);
    int off = 0;
    String zeroChunk = null;
    int zeroChunks = 0;
    for (int i = 0; i < lengths.size(); i++) {
      int n = lengths.get(i);
      if (off >= 5 * MIB + 123 && off + n <= 30 * MIB) {
        assertEquals(4 * MIB, n, "chunk inside the zero run");
        if (zeroChunk == null) {
          zeroChunk = hashes.get(i);
        }
        assertEquals(zeroChunk, hashes.get(i));
        zeroChunks++;
      }
      off += n;
    }
    assertTrue(zeroChunks >= 5, "zero run of ~25 MiB gives at least 5 max-size chunks");
  }

  @Test
  void cut_everyAllowedAverage_neverCutsZeros() {
    for (int bits = 10; bits <= 26; bits++) {
      int average = 1 << bits;
      ChunkerParams p = new ChunkerParams(1, average, average + 4096);
      byte[] zeros = new byte[average + 4096];
      assertEquals(zeros.length, new Chunker(p).cut(zeros, 0, zeros.length), "average 2^" + bits);
    }
  }

  @Test
  void cut_inputShorterThanMin_returnsLength() {
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    byte[] data = Chunks.random(1, 300 * KIB);
    assertEquals(0, chunker.cut(data, 5, 0));
    assertEquals(100, chunker.cut(data, 5, 100));
    assertEquals(256 * KIB, chunker.cut(data, 0, 256 * KIB));
  }

  @Test
  void cut_atOffset_equalsCutOfCopy() {
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    byte[] data = Chunks.random(3, 9 * MIB);
    byte[] tail = java.util.Arrays.copyOfRange(data, 12345, data.length);
    assertEquals(chunker.cut(tail, 0, tail.length), chunker.cut(data, 12345, tail.length));
  }

  @Test
  void cut_rangeOutsideArray_isRejected() {
    Chunker chunker = new Chunker(ChunkerParams.defaults());
    assertThrows(IndexOutOfBoundsException.class, () -> chunker.cut(new byte[10], 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> chunker.cut(new byte[10], -1, 2));
  }

  @Test
  void cut_textLikeData_averagesNearTheTarget() {
    byte[] data = Chunks.textLike(11, 64 * MIB);
    List<Integer> lengths = Chunks.lengths(new Chunker(ChunkerParams.defaults()), data);
    double mean = (double) data.length / lengths.size();
    assertTrue(mean > 0.75 * MIB && mean < 1.5 * MIB, "mean chunk " + mean);
    assertArrayEquals(
        Chunks.lengths(new ReferenceChunker(ChunkerParams.defaults()), data).toArray(),
        lengths.toArray());
  }
}
