package org.selfstorage.agent.erasure;

/** GF(2^8) by shift-and-add, independent of the tables in {@link Gf256}. */
final class NaiveGf {

  private NaiveGf() {}

  static int mul(int a, int b) {
    int r = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        r ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= 0x11D;
      }
      b >>>= 1;
    }
    return r;
  }

  static int inverse(int a) {
    for (int x = 1; x < 256; x++) {
      if (mul(a, x) == 1) {
        return x;
      }
    }
    throw new ArithmeticException("no inverse of " + a);
  }

  /** The documented parity matrix, computed from its definition. */
  static int[][] parityMatrix(int k, int m) {
    int[][] c = new int[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        c[i][j] = inverse((k + i) ^ j); // x_i = k + i, y_j = j, x + y = XOR
      }
    }
    int[][] p = new int[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        p[i][j] = mul(mul(c[i][j], c[0][0]), inverse(mul(c[0][j], c[i][0])));
      }
    }
    return p;
  }

  /** Parity shards of already split, padded data shards, byte by byte. */
  static byte[][] parity(int[][] p, byte[][] data) {
    int size = data[0].length;
    byte[][] out = new byte[p.length][size];
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < data.length; j++) {
        for (int b = 0; b < size; b++) {
          out[i][b] ^= (byte) mul(p[i][j], data[j][b] & 0xff);
        }
      }
    }
    return out;
  }
}
