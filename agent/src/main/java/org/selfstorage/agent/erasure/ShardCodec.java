package org.selfstorage.agent.erasure;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Systematic Reed-Solomon erasure code over GF(2^8): {@code k} data shards and {@code m} parity
 * shards, any {@code k} of which give back the data. Pure: no I/O, no shared mutable state;
 * instances are immutable and thread-safe.
 *
 * <p>The generator matrix is {@code [I_k ; P]}. {@code P} is the {@code m x k} Cauchy matrix
 * {@code C[i][j] = 1 / (x_i + y_j)} with {@code x_i = k + i} and {@code y_j = j}, scaled by rows
 * and columns so that its first row and first column are all ones:
 * {@code P[i][j] = C[i][j] * C[0][0] / (C[0][j] * C[i][0])}. Every square submatrix of a scaled
 * Cauchy matrix is non-singular, so the code is MDS. The first parity shard is the XOR of the
 * data shards; with {@code m = 1} the code is plain XOR parity. See {@code docs/codec-formats.md}.
 *
 * <p>Data of {@code length} bytes is split in order into {@code k} shards of
 * {@link #shardSize(int)} bytes, the last one zero padded.
 */
public final class ShardCodec {

  private final int dataShards;
  private final int parityShards;
  /** P, m rows of k coefficients. */
  private final int[][] parity;

  public ShardCodec(int dataShards, int parityShards) {
    if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > 255) {
      throw new IllegalArgumentException(
          "need 1 <= k, 0 <= m, k + m <= 255; was k = " + dataShards + ", m = " + parityShards);
    }
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.parity = parityMatrix(dataShards, parityShards);
  }

  public int dataShards() {
    return dataShards;
  }

  public int parityShards() {
    return parityShards;
  }

  /** {@code ceil(length / k)}, at least 1. */
  public int shardSize(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    return Math.max(1, (int) (((long) length + dataShards - 1) / dataShards));
  }

  /** The coefficients of parity shard {@code i} ({@code 0 <= i < m}), a copy. */
  int[] parityRow(int i) {
    return parity[i].clone();
  }

  /**
   * Splits {@code data[offset, offset + length)} into {@code k} data shards and computes {@code m}
   * parity shards.
   *
   * @return {@code k + m} new arrays of {@link #shardSize(int)} bytes: data shards first
   */
  public byte[][] encode(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    int size = shardSize(length);
    byte[][] shards = new byte[dataShards + parityShards][];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new byte[size];
    }
    encodeInto(data, offset, length, shards);
    return shards;
  }

  /**
   * As {@link #encode}, into {@code k + m} given arrays of at least {@link #shardSize(int)} bytes
   * each (reused buffers): shard {@code i} is the first {@code shardSize(length)} bytes of
   * {@code shards[i]}; the bytes after them are left as they were.
   *
   * @return {@code shardSize(length)}
   */
  public int encodeInto(byte[] data, int offset, int length, byte[][] shards) {
    Objects.checkFromIndexSize(offset, length, data.length);
    int size = shardSize(length);
    int k = dataShards;
    checkBuffers(shards, k + parityShards, size);
    for (int i = 0; i < k; i++) {
      int from = i * size;
      int n = Math.max(0, Math.min(size, length - from));
      if (n > 0) {
        System.arraycopy(data, offset + from, shards[i], 0, n);
      }
      Arrays.fill(shards[i], n, size, (byte) 0);
    }
    computeParity(Arrays.copyOf(shards, k), new int[k], Arrays.copyOfRange(shards, k, shards.length), size);
    return size;
  }

  /**
   * Computes only the {@code m} parity shards of {@code data[offset, offset + length)}, leaving the
   * data shards where they are: data shard {@code i} is
   * {@code data[offset + i * size, offset + (i + 1) * size)} with {@code size = shardSize(length)}.
   * The zero padding of the last data shard, {@code data[offset + length, offset + k * size)}, is
   * written into {@code data}, which must be long enough to hold it (fewer than {@code k} bytes).
   * This saves copying a pack into {@code k} shard buffers before writing them.
   *
   * @param parity {@code m} arrays of at least {@code shardSize(length)} bytes; shard {@code k + j}
   *     is the first {@code shardSize(length)} bytes of {@code parity[j]}
   * @return {@code shardSize(length)}
   */
  public int encodeParityInPlace(byte[] data, int offset, int length, byte[][] parity) {
    int size = shardSize(length);
    int k = dataShards;
    if (offset < 0 || length < 0 || offset + (long) k * size > data.length) {
      throw new IndexOutOfBoundsException("data shards of " + size + " bytes from " + offset + " need "
          + (offset + (long) k * size) + " bytes, the array has " + data.length);
    }
    checkBuffers(parity, parityShards, size);
    Arrays.fill(data, offset + length, offset + k * size, (byte) 0);
    byte[][] inputs = new byte[k][];
    int[] at = new int[k];
    for (int i = 0; i < k; i++) {
      inputs[i] = data;
      at[i] = offset + i * size;
    }
    computeParity(inputs, at, parity, size);
    return size;
  }

  /**
   * Gives back the {@code length} bytes that were encoded into {@code shards}, reading only the
   * shards needed. Does not modify {@code shards} or its arrays.
   *
   * @param shards {@code k + m} entries, {@code null} where a shard is missing; the others of equal
   *     size {@code shardSize(length)}
   * @throws NotEnoughShardsException if fewer than {@code k} shards are present
   */
  public byte[] decode(byte[][] shards, int length) {
    int size = checkShards(shards);
    if (size != shardSize(length)) {
      throw new IllegalArgumentException(
          "shards of " + size + " bytes cannot hold " + length + " bytes in " + dataShards
              + " data shards");
    }
    byte[][] data = recoverData(shards, size, byte[]::new);
    byte[] out = new byte[length];
    for (int i = 0; i < dataShards; i++) {
      int from = i * size;
      if (from >= length) {
        break;
      }
      System.arraycopy(data[i], 0, out, from, Math.min(size, length - from));
    }
    return out;
  }

  /**
   * Recreates the missing shards in place: every {@code null} entry of {@code shards} is replaced by
   * a new array holding exactly the shard that was lost.
   *
   * @throws NotEnoughShardsException if fewer than {@code k} shards are present
   */
  public void reconstruct(byte[][] shards) {
    reconstruct(shards, checkShards(shards), byte[]::new);
  }

  /**
   * As {@link #reconstruct(byte[][])} over the first {@code size} bytes of each present array, which
   * may be longer (pooled buffers); the arrays of the lost shards come from {@code buffers} (asked
   * for {@code size} bytes, they may give more) and hold their shard in their first {@code size}
   * bytes.
   *
   * @throws NotEnoughShardsException if fewer than {@code k} shards are present
   */
  public void reconstruct(byte[][] shards, int size, IntFunction<byte[]> buffers) {
    checkShards(shards, size);
    byte[][] data = recoverData(shards, size, buffers);
    int k = dataShards;
    for (int i = 0; i < k; i++) {
      shards[i] = data[i];
    }
    int missing = 0;
    for (int i = k; i < shards.length; i++) {
      if (shards[i] == null) {
        missing++;
      }
    }
    if (missing == 0) {
      return;
    }
    int[][] rows = new int[missing][];
    byte[][] outputs = new byte[missing][];
    int n = 0;
    for (int i = k; i < shards.length; i++) {
      if (shards[i] == null) {
        shards[i] = buffers.apply(size);
        rows[n] = parity[i - k];
        outputs[n++] = shards[i];
      }
    }
    RowCoder.code(rows, data, outputs, size);
  }

  /** Checks that there are {@code count} buffers, each of at least {@code size} bytes. */
  private static void checkBuffers(byte[][] buffers, int count, int size) {
    if (buffers.length != count) {
      throw new IllegalArgumentException("need " + count + " shard buffers, got " + buffers.length);
    }
    for (byte[] b : buffers) {
      if (b.length < size) {
        throw new IllegalArgumentException("a shard buffer of " + b.length + " bytes cannot hold " + size);
      }
    }
  }

  /** Data shard {@code j} is {@code data[j][at[j] .. at[j] + size)}; parity goes to {@code outputs[0 .. size)}. */
  private void computeParity(byte[][] data, int[] at, byte[][] outputs, int size) {
    if (parityShards == 0) {
      return;
    }
    if (parityShards == 1) {
      xorParity(data, at, outputs[0], size);
      return;
    }
    RowCoder.code(parity, data, at, outputs, size);
  }

  /** m = 1: the parity shard is the XOR of the data shards. */
  private static void xorParity(byte[][] data, int[] at, byte[] out, int size) {
    for (int from = 0; from < size; from += RowCoder.BLOCK) {
      int to = Math.min(size, from + RowCoder.BLOCK);
      System.arraycopy(data[0], at[0] + from, out, from, to - from);
      for (int j = 1; j < data.length; j++) {
        RowCoder.xor(data[j], at[j], out, from, to);
      }
    }
  }

  /**
   * The {@code k} data shards: the present ones as they are, the missing ones computed from the
   * first {@code k} present shards (data shards preferred, then parity in order).
   */
  private byte[][] recoverData(byte[][] shards, int size, IntFunction<byte[]> buffers) {
    int k = dataShards;
    byte[][] data = new byte[k][];
    int missingData = 0;
    for (int i = 0; i < k; i++) {
      data[i] = shards[i];
      if (shards[i] == null) {
        missingData++;
      }
    }
    if (missingData == 0) {
      return data;
    }
    // Rows of the generator for k present shards, and those shards.
    int[][] sub = new int[k][];
    byte[][] inputs = new byte[k][];
    int n = 0;
    for (int i = 0; i < shards.length && n < k; i++) {
      if (shards[i] == null) {
        continue;
      }
      int[] row;
      if (i < k) {
        row = new int[k];
        row[i] = 1;
      } else {
        row = parity[i - k];
      }
      sub[n] = row;
      inputs[n++] = shards[i];
    }
    int[][] inverse = Gf256.invert(sub);
    int[][] rows = new int[missingData][];
    byte[][] outputs = new byte[missingData][];
    int r = 0;
    for (int i = 0; i < k; i++) {
      if (data[i] == null) {
        data[i] = buffers.apply(size);
        rows[r] = inverse[i];
        outputs[r++] = data[i];
      }
    }
    RowCoder.code(rows, inputs, outputs, size);
    return data;
  }

  /** Checks the array shape and returns the common shard size. */
  /** Checks that at least k of the arrays are present, each of at least {@code size} bytes. */
  private void checkShards(byte[][] shards, int size) {
    Objects.requireNonNull(shards, "shards");
    if (shards.length != dataShards + parityShards) {
      throw new IllegalArgumentException(
          "expected " + (dataShards + parityShards) + " shard slots, got " + shards.length);
    }
    int present = 0;
    for (byte[] shard : shards) {
      if (shard != null) {
        present++;
        if (shard.length < size) {
          throw new IllegalArgumentException("a shard array of " + shard.length + " bytes cannot hold " + size);
        }
      }
    }
    if (present < dataShards) {
      throw new NotEnoughShardsException(present, dataShards);
    }
    if (size <= 0) {
      throw new IllegalArgumentException("shards must not be empty");
    }
  }

  /** As above for arrays that are exactly the shards: all present ones of one size, which it returns. */
  private int checkShards(byte[][] shards) {
    Objects.requireNonNull(shards, "shards");
    int size = -1;
    for (byte[] shard : shards) {
      if (shard != null && size < 0) {
        size = shard.length;
      } else if (shard != null && shard.length != size) {
        throw new IllegalArgumentException("shards differ in size: " + size + " and " + shard.length + " bytes");
      }
    }
    checkShards(shards, Math.max(size, 0));
    return size;
  }

  /** P: the scaled Cauchy matrix described in the class comment. */
  static int[][] parityMatrix(int k, int m) {
    int[][] c = new int[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        c[i][j] = Gf256.inverse((k + i) ^ j);
      }
    }
    int[][] p = new int[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        int scale = Gf256.mul(c[0][j], c[i][0]);
        p[i][j] = Gf256.div(Gf256.mul(c[i][j], c[0][0]), scale);
      }
    }
    return p;
  }
}
