package org.selfstorage.agent.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardCodecTest {

  private static final byte[] FOX =
      "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

  /** docs/codec-formats.md, "Golden vectors": parity shards of FOX, in hex. */
  @ParameterizedTest
  @CsvSource({
    "2, 1, 01 01, 391816001e030c114b540a174f1b0f5a1f4f1c4f0d75",
    "3, 2, 01 01 01 / 01 c4 53, 547a623d71737d74627326727e121c / 43fbf6a966442c9a26ed5d458c76d5",
    "4, 2, 01 01 01 01 / 01 d9 5c ac, 2e570d0f441c430d04597f / fce154a3e38978b4007584",
  })
  void encode_fox_matchesGoldenVector(int k, int m, String matrix, String parityHex) {
    ShardCodec codec = new ShardCodec(k, m);
    String[] rows = matrix.split(" / ");
    for (int i = 0; i < m; i++) {
      assertEquals(rows[i], hexRow(codec.parityRow(i)), "P row " + i);
    }
    byte[][] shards = codec.encode(FOX, 0, FOX.length);
    assertEquals(k + m, shards.length);
    String[] parity = parityHex.split(" / ");
    for (int i = 0; i < m; i++) {
      assertEquals(parity[i], HexFormat.of().formatHex(shards[k + i]), "parity " + i);
    }
  }

  private static String hexRow(int[] row) {
    StringBuilder s = new StringBuilder();
    for (int c : row) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(String.format("%02x", c));
    }
    return s.toString();
  }

  @Test
  void parityMatrix_equalsItsDefinition_andHasOnesInFirstRowAndColumn() {
    for (int k = 1; k <= 20; k++) {
      for (int m = 0; m <= 12; m++) {
        int[][] p = ShardCodec.parityMatrix(k, m);
        int[][] expected = NaiveGf.parityMatrix(k, m);
        for (int i = 0; i < m; i++) {
          assertArrayEquals(expected[i], p[i], "k=" + k + " m=" + m + " row " + i);
          assertEquals(1, p[i][0]);
        }
        if (m > 0) {
          int[] ones = new int[k];
          Arrays.fill(ones, 1);
          assertArrayEquals(ones, p[0]);
        }
      }
    }
    // the largest code: k + m = 255
    assertArrayEquals(NaiveGf.parityMatrix(200, 55)[54], ShardCodec.parityMatrix(200, 55)[54]);
  }

  @Test
  void parityMatrix_everySquareSubmatrix_isNonSingular() {
    int[][] p = ShardCodec.parityMatrix(6, 4);
    // all row subsets x column subsets of equal size
    for (int rows = 1; rows < 1 << 4; rows++) {
      for (int cols = 1; cols < 1 << 6; cols++) {
        if (Integer.bitCount(rows) != Integer.bitCount(cols)) {
          continue;
        }
        int n = Integer.bitCount(rows);
        int[][] sub = new int[n][n];
        int r = 0;
        for (int i = 0; i < 4; i++) {
          if ((rows >> i & 1) == 0) {
            continue;
          }
          int c = 0;
          for (int j = 0; j < 6; j++) {
            if ((cols >> j & 1) != 0) {
              sub[r][c++] = p[i][j];
            }
          }
          r++;
        }
        Gf256.invert(sub); // throws if singular
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "2, 1", "3, 2", "4, 2", "6, 3", "10, 4", "17, 5"})
  void encode_randomData_equalsNaiveMatrixProduct(int k, int m) {
    ShardCodec codec = new ShardCodec(k, m);
    byte[] data = new byte[3 * RowCoder.BLOCK * k + 5];
    new SplittableRandom(k * 31 + m).nextBytes(data);
    byte[][] shards = codec.encode(data, 0, data.length);
    byte[][] parity = NaiveGf.parity(ShardCodec.parityMatrix(k, m), Arrays.copyOf(shards, k));
    for (int i = 0; i < m; i++) {
      assertArrayEquals(parity[i], shards[k + i], "parity " + i);
    }
  }

  @Test
  void encode_oneParityShard_isXorOfDataShards() {
    ShardCodec codec = new ShardCodec(5, 1);
    byte[] data = new byte[100_003];
    new SplittableRandom(9).nextBytes(data);
    byte[][] shards = codec.encode(data, 0, data.length);
    byte[] xor = new byte[shards[0].length];
    for (int j = 0; j < 5; j++) {
      for (int b = 0; b < xor.length; b++) {
        xor[b] ^= shards[j][b];
      }
    }
    assertArrayEquals(xor, shards[5]);
  }

  @Test
  void encode_splitsInOrder_andZeroPads() {
    ShardCodec codec = new ShardCodec(3, 2);
    byte[] data = {9, 1, 2, 3, 4, 5, 6, 7, 9};
    byte[][] shards = codec.encode(data, 1, 7);
    assertEquals(3, codec.shardSize(7));
    assertArrayEquals(new byte[] {1, 2, 3}, shards[0]);
    assertArrayEquals(new byte[] {4, 5, 6}, shards[1]);
    assertArrayEquals(new byte[] {7, 0, 0}, shards[2]);
  }

  @Test
  void encode_emptyInput_givesOneZeroByteShards_andDecodesToEmpty() {
    ShardCodec codec = new ShardCodec(4, 2);
    byte[][] shards = codec.encode(new byte[0], 0, 0);
    assertEquals(6, shards.length);
    for (byte[] s : shards) {
      assertArrayEquals(new byte[1], s);
    }
    shards[0] = null;
    shards[5] = null;
    assertArrayEquals(new byte[0], codec.decode(shards, 0));
  }

  @Test
  void shardSize_isCeilingAtLeastOne() {
    ShardCodec codec = new ShardCodec(4, 2);
    assertEquals(1, codec.shardSize(0));
    assertEquals(1, codec.shardSize(1));
    assertEquals(1, codec.shardSize(4));
    assertEquals(2, codec.shardSize(5));
    assertEquals(536_870_912, codec.shardSize(Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> codec.shardSize(-1));
  }

  @Test
  void constructor_outOfRange_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ShardCodec(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ShardCodec(2, -1));
    assertThrows(IllegalArgumentException.class, () -> new ShardCodec(200, 56));
    assertEquals(255, new ShardCodec(200, 55).dataShards() + new ShardCodec(200, 55).parityShards());
    assertEquals(0, new ShardCodec(1, 0).parityShards());
  }

  @Test
  void noParity_encodesDataOnly_andDecodesWithAllShards() {
    ShardCodec codec = new ShardCodec(3, 0);
    byte[] data = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    byte[][] shards = codec.encode(data, 0, data.length);
    assertEquals(3, shards.length);
    assertArrayEquals(data, codec.decode(shards, data.length));
    shards[1] = null;
    assertThrows(NotEnoughShardsException.class, () -> codec.decode(shards, data.length));
  }

  @Test
  void decode_tooFewShards_saysHowManyArePresentAndNeeded() {
    ShardCodec codec = new ShardCodec(4, 2);
    byte[][] shards = codec.encode(FOX, 0, FOX.length);
    shards[0] = null;
    shards[2] = null;
    shards[4] = null;
    NotEnoughShardsException e =
        assertThrows(NotEnoughShardsException.class, () -> codec.decode(shards, FOX.length));
    assertEquals("3 shards present, 4 needed", e.getMessage());
    assertEquals(3, e.present());
    assertEquals(4, e.needed());
    assertThrows(NotEnoughShardsException.class, () -> codec.reconstruct(shards));
    assertThrows(
        NotEnoughShardsException.class, () -> codec.decode(new byte[6][], FOX.length));
  }

  @Test
  void decode_doesNotTouchItsInput() {
    ShardCodec codec = new ShardCodec(3, 2);
    byte[][] shards = codec.encode(FOX, 0, FOX.length);
    byte[] parity = shards[3];
    byte[] parityCopy = parity.clone();
    shards[0] = null;
    shards[1] = null;
    assertArrayEquals(FOX, codec.decode(shards, FOX.length));
    assertNull(shards[0]);
    assertNull(shards[1]);
    assertSame(parity, shards[3]);
    assertArrayEquals(parityCopy, parity);
  }

  @Test
  void decode_mismatchedSizes_areRejected() {
    ShardCodec codec = new ShardCodec(3, 2);
    byte[][] shards = codec.encode(FOX, 0, FOX.length);
    assertThrows(IllegalArgumentException.class, () -> codec.decode(shards, FOX.length + 3));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(shards, 10));
    assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[4][], 1));
    shards[1] = new byte[shards[0].length + 1];
    assertThrows(IllegalArgumentException.class, () -> codec.decode(shards, FOX.length));
  }

  @Test
  void reconstruct_allMissingParity_recomputesIt() {
    ShardCodec codec = new ShardCodec(4, 2);
    byte[][] shards = codec.encode(FOX, 0, FOX.length);
    byte[][] damaged = shards.clone();
    damaged[4] = null;
    damaged[5] = null;
    codec.reconstruct(damaged);
    assertArrayEquals(shards[4], damaged[4]);
    assertArrayEquals(shards[5], damaged[5]);
    assertSame(shards[0], damaged[0]);
  }
}
