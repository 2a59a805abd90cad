package org.selfstorage.agent.erasure;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Computes output shards as GF(2^8) linear combinations of input shards: {@code out[r] = sum_j
 * coefficients[r][j] * in[j]}, byte by byte.
 *
 * <p>Work is done in blocks of {@link #BLOCK} bytes so that a block of every input and the output
 * stay in the L1/L2 cache while all rows are computed. Within a block, for each row:
 *
 * <ul>
 *   <li>inputs with coefficient 1 are copied / XORed in eight bytes at a time (the first parity
 *       row is all ones, so it never needs a table);
 *   <li>the other non-zero coefficients are folded in four inputs at a time, each byte looked up
 *       in the coefficient's 256-byte product table ("one table row per coefficient"), so the
 *       output is loaded and stored once per four inputs;
 *   <li>coefficient 0 is skipped.
 * </ul>
 */
final class RowCoder {

  static final int BLOCK = 16 * 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private RowCoder() {}

  /**
   * @param coefficients one row of {@code inputs.length} coefficients per output
   * @param inputs shards of at least {@code size} bytes
   * @param outputs shards of at least {@code size} bytes, overwritten in {@code [0, size)}
   */
  static void code(int[][] coefficients, byte[][] inputs, byte[][] outputs, int size) {
    code(coefficients, inputs, new int[inputs.length], outputs, size);
  }

  /** As above, input {@code j} being {@code inputs[j][offsets[j] .. offsets[j] + size)}. */
  static void code(int[][] coefficients, byte[][] inputs, int[] offsets, byte[][] outputs, int size) {
    int rows = outputs.length;
    Plan[] plans = new Plan[rows];
    for (int r = 0; r < rows; r++) {
      plans[r] = new Plan(coefficients[r], inputs, offsets);
    }
    for (int from = 0; from < size; from += BLOCK) {
      int to = Math.min(size, from + BLOCK);
      for (int r = 0; r < rows; r++) {
        plans[r].run(outputs[r], from, to);
      }
    }
  }

  /** One output row: its coefficient-1 inputs, and its other inputs with their tables. */
  private static final class Plan {
    private final byte[][] ones;
    private final int[] onesAt;
    private final byte[][] others;
    private final int[] othersAt;
    private final byte[][] tables;

    Plan(int[] row, byte[][] inputs, int[] offsets) {
      int nOnes = 0;
      int nOthers = 0;
      for (int c : row) {
        if (c == 1) {
          nOnes++;
        } else if (c != 0) {
          nOthers++;
        }
      }
      ones = new byte[nOnes][];
      onesAt = new int[nOnes];
      others = new byte[nOthers][];
      othersAt = new int[nOthers];
      tables = new byte[nOthers][];
      int a = 0;
      int b = 0;
      for (int j = 0; j < row.length; j++) {
        if (row[j] == 1) {
          onesAt[a] = offsets[j];
          ones[a++] = inputs[j];
        } else if (row[j] != 0) {
          othersAt[b] = offsets[j];
          others[b] = inputs[j];
          tables[b++] = Gf256.mulRow(row[j]);
        }
      }
    }

    void run(byte[] out, int from, int to) {
      if (ones.length == 0) {
        Arrays.fill(out, from, to, (byte) 0);
      } else {
        System.arraycopy(ones[0], onesAt[0] + from, out, from, to - from);
        for (int j = 1; j < ones.length; j++) {
          xor(ones[j], onesAt[j], out, from, to);
        }
      }
      byte[][] in = others;
      int[] at = othersAt;
      byte[][] t = tables;
      int j = 0;
      for (; j + 4 <= in.length; j += 4) {
        mulXor4(t[j], in[j], at[j], t[j + 1], in[j + 1], at[j + 1], t[j + 2], in[j + 2], at[j + 2],
            t[j + 3], in[j + 3], at[j + 3], out, from, to);
      }
      switch (in.length - j) {
        case 3:
          mulXor3(t[j], in[j], at[j], t[j + 1], in[j + 1], at[j + 1], t[j + 2], in[j + 2], at[j + 2], out, from, to);
          break;
        case 2:
          mulXor2(t[j], in[j], at[j], t[j + 1], in[j + 1], at[j + 1], out, from, to);
          break;
        case 1:
          mulXor1(t[j], in[j], at[j], out, from, to);
          break;
        default:
          break;
      }
    }
  }

  /**
   * {@code out[from .. to) ^= in[at + from .. at + to)}, eight bytes at a time: C2 does not
   * vectorize the byte loop when it cannot prove that {@code in} and {@code out} are different
   * arrays, and the byte loop ran at 1.1-1.3 GB/s against 8-14 GB/s for this one (design.md §10).
   */
  static void xor(byte[] in, int at, byte[] out, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      LONGS.set(out, i, (long) LONGS.get(out, i) ^ (long) LONGS.get(in, at + i));
    }
    for (; i < to; i++) {
      out[i] ^= in[at + i];
    }
  }

  private static void mulXor1(byte[] ta, byte[] a, int ao, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= ta[a[ao + i] & 0xff];
    }
  }

  private static void mulXor2(
      byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= (byte) (ta[a[ao + i] & 0xff] ^ tb[b[bo + i] & 0xff]);
    }
  }

  private static void mulXor3(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] tc, byte[] c, int co,
      byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= (byte) (ta[a[ao + i] & 0xff] ^ tb[b[bo + i] & 0xff] ^ tc[c[co + i] & 0xff]);
    }
  }

  private static void mulXor4(byte[] ta, byte[] a, int ao, byte[] tb, byte[] b, int bo, byte[] tc, byte[] c, int co,
      byte[] td, byte[] d, int dO, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= (byte) (ta[a[ao + i] & 0xff] ^ tb[b[bo + i] & 0xff] ^ tc[c[co + i] & 0xff] ^ td[d[dO + i] & 0xff]);
    }
  }
}
