package org.selfstorage.agent.erasure;

/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), whose
 * root 2 generates the multiplicative group. Addition is XOR.
 */
final class Gf256 {

  static final int POLYNOMIAL = 0x11D;

  /** EXP[i] = 2^i for i in [0, 510); doubled so that EXP[LOG[a] + LOG[b]] needs no modulo. */
  private static final int[] EXP = new int[510];

  /** LOG[a] = log_2(a) for a in [1, 255]; LOG[0] is unused. */
  private static final int[] LOG = new int[256];

  /** MUL[c][x] = c * x: one 256-byte row per coefficient, the inner loop's lookup table. */
  private static final byte[][] MUL = new byte[256][256];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = x;
      EXP[i + 255] = x;
      LOG[x] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= POLYNOMIAL;
      }
    }
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        MUL[a][b] = (byte) mul(a, b);
      }
    }
  }

  private Gf256() {}

  static int mul(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a] + LOG[b]];
  }

  static int inverse(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse in GF(2^8)");
    }
    return EXP[255 - LOG[a]];
  }

  static int div(int a, int b) {
    return mul(a, inverse(b));
  }

  /** The 256-byte table of products with {@code c}. Shared: callers must not write to it. */
  static byte[] mulRow(int c) {
    return MUL[c];
  }

  /**
   * Inverts a square matrix by Gauss-Jordan elimination.
   *
   * @throws ArithmeticException if it is singular
   */
  static int[][] invert(int[][] matrix) {
    int n = matrix.length;
    int[][] a = new int[n][2 * n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(matrix[r], 0, a[r], 0, n);
      a[r][n + r] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      while (pivot < n && a[pivot][col] == 0) {
        pivot++;
      }
      if (pivot == n) {
        throw new ArithmeticException("singular matrix");
      }
      int[] t = a[pivot];
      a[pivot] = a[col];
      a[col] = t;
      int scale = inverse(a[col][col]);
      for (int c = 0; c < 2 * n; c++) {
        a[col][c] = mul(a[col][c], scale);
      }
      for (int r = 0; r < n; r++) {
        int f = a[r][col];
        if (r != col && f != 0) {
          for (int c = 0; c < 2 * n; c++) {
            a[r][c] ^= mul(f, a[col][c]);
          }
        }
      }
    }
    int[][] inv = new int[n][n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(a[r], n, inv[r], 0, n);
    }
    return inv;
  }
}
