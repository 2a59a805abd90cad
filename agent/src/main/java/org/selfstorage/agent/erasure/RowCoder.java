package org.selfstorage.agent.erasure;

/**
 * Computes output shards as GF(2^8) linear combinations of input shards: {@code out[r] = sum_j
 * coefficients[r][j] * in[j]}, byte by byte.
 *
 * <p>Work is done in blocks of {@link #BLOCK} bytes so that the output block stays in the L1
 * cache while every input is folded into it. Within a block each coefficient picks one of four
 * loops: copy / XOR for coefficient 1 (XOR is a plain array loop that the JIT vectorizes), and a
 * lookup in the coefficient's 256-byte product table otherwise. Coefficient 0 is skipped.
 */
final class RowCoder {

  static final int BLOCK = 8 * 1024;

  private RowCoder() {}

  /**
   * @param coefficients one row of {@code inputs.length} coefficients per output
   * @param inputs shards of at least {@code size} bytes
   * @param outputs shards of at least {@code size} bytes, overwritten in {@code [0, size)}
   */
  static void code(int[][] coefficients, byte[][] inputs, byte[][] outputs, int size) {
    int rows = outputs.length;
    int n = inputs.length;
    byte[][][] tables = new byte[rows][n][];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        tables[r][j] = Gf256.mulRow(coefficients[r][j]);
      }
    }
    for (int from = 0; from < size; from += BLOCK) {
      int to = Math.min(size, from + BLOCK);
      for (int r = 0; r < rows; r++) {
        int[] row = coefficients[r];
        byte[] out = outputs[r];
        boolean first = true;
        for (int j = 0; j < n; j++) {
          int c = row[j];
          if (c == 0) {
            continue;
          }
          byte[] in = inputs[j];
          if (c == 1) {
            if (first) {
              System.arraycopy(in, from, out, from, to - from);
            } else {
              xor(in, out, from, to);
            }
          } else if (first) {
            mulAssign(tables[r][j], in, out, from, to);
          } else {
            mulXor(tables[r][j], in, out, from, to);
          }
          first = false;
        }
        if (first) {
          java.util.Arrays.fill(out, from, to, (byte) 0);
        }
      }
    }
  }

  static void xor(byte[] in, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= in[i];
    }
  }

  private static void mulAssign(byte[] table, byte[] in, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = table[in[i] & 0xff];
    }
  }

  private static void mulXor(byte[] table, byte[] in, byte[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] ^= table[in[i] & 0xff];
    }
  }
}
