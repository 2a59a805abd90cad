package org.selfstorage.agent.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Gf256Test {

  @Test
  void mulTables_agreeWithShiftAndAdd_forAllPairs() {
    for (int a = 0; a < 256; a++) {
      byte[] row = Gf256.mulRow(a);
      for (int b = 0; b < 256; b++) {
        int expected = NaiveGf.mul(a, b);
        assertEquals(expected, Gf256.mul(a, b), a + " * " + b);
        assertEquals(expected, row[b] & 0xff, a + " * " + b + " (row)");
      }
    }
  }

  @Test
  void inverse_timesValue_isOne() {
    for (int a = 1; a < 256; a++) {
      assertEquals(1, Gf256.mul(a, Gf256.inverse(a)));
      assertEquals(NaiveGf.inverse(a), Gf256.inverse(a));
    }
    assertThrows(ArithmeticException.class, () -> Gf256.inverse(0));
  }

  @Test
  void invert_randomNonSingular_givesIdentityProduct() {
    SplittableRandom r = new SplittableRandom(5);
    int done = 0;
    while (done < 50) {
      int n = 1 + r.nextInt(12);
      int[][] a = new int[n][n];
      for (int[] row : a) {
        for (int j = 0; j < n; j++) {
          row[j] = r.nextInt(256);
        }
      }
      int[][] inv;
      try {
        inv = Gf256.invert(a);
      } catch (ArithmeticException singular) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        int[] row = new int[n];
        for (int j = 0; j < n; j++) {
          int s = 0;
          for (int t = 0; t < n; t++) {
            s ^= NaiveGf.mul(a[i][t], inv[t][j]);
          }
          row[j] = s;
        }
        int[] unit = new int[n];
        unit[i] = 1;
        assertArrayEquals(unit, row);
      }
      done++;
    }
  }

  @Test
  void invert_singular_throws() {
    assertThrows(ArithmeticException.class, () -> Gf256.invert(new int[][] {{1, 2}, {2, 4}}));
  }
}
