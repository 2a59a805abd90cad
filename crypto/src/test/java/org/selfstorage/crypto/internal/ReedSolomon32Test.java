package org.selfstorage.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReedSolomon32Test {

  @Test
  void field_alphaGeneratesAllNonZeroElements() {
    Set<Integer> seen = new HashSet<>();
    for (int e = 0; e < 31; e++) {
      seen.add(ReedSolomon32.alphaPow(e));
    }
    assertEquals(31, seen.size());
    assertTrue(!seen.contains(0));
    assertEquals(1, ReedSolomon32.alphaPow(31));
  }

  @Test
  void field_multiplicationIsCarrylessModuloThePolynomial() {
    for (int a = 0; a < 32; a++) {
      for (int b = 0; b < 32; b++) {
        int product = 0;
        for (int bit = 0; bit < 5; bit++) {
          if ((b >> bit & 1) != 0) {
            product ^= a << bit;
          }
        }
        for (int bit = 9; bit >= 5; bit--) {
          if ((product >> bit & 1) != 0) {
            product ^= ReedSolomon32.FIELD_POLYNOMIAL << (bit - 5);
          }
        }
        assertEquals(product, ReedSolomon32.mul(a, b), a + "*" + b);
        if (b != 0) {
          assertEquals(a, ReedSolomon32.div(ReedSolomon32.mul(a, b), b));
        }
      }
    }
  }

  @Test
  void generator_coefficients() {
    // g(x) = (x + alpha)(x + alpha^2) = x^2 + (alpha + alpha^2) x + alpha^3 = x^2 + 6x + 8
    assertEquals(6, ReedSolomon32.G1);
    assertEquals(8, ReedSolomon32.G0);
  }

  @Test
  void codewords_haveZeroSyndromes() {
    Random random = new Random(10);
    for (int round = 0; round < 1000; round++) {
      int length = 1 + random.nextInt(29);
      int[] word = new int[length + 2];
      for (int i = 0; i < length; i++) {
        word[i] = random.nextInt(32);
      }
      int[] check = ReedSolomon32.checkSymbols(word, length);
      word[length] = check[0];
      word[length + 1] = check[1];
      assertEquals(0, ReedSolomon32.syndrome(word, length + 2, 1));
      assertEquals(0, ReedSolomon32.syndrome(word, length + 2, 2));
    }
  }

  /** Minimum distance 3: every pattern of one or two changed symbols, at every place. */
  @Test
  void everyOneAndTwoSymbolError_isDetected_andSingleErrorsAreLocated() {
    Random random = new Random(12);
    int n = 30;
    int[] word = new int[n];
    for (int i = 0; i < n - 2; i++) {
      word[i] = random.nextInt(32);
    }
    int[] check = ReedSolomon32.checkSymbols(word, n - 2);
    word[n - 2] = check[0];
    word[n - 1] = check[1];
    for (int i = 0; i < n; i++) {
      for (int e1 = 1; e1 < 32; e1++) {
        int[] once = word.clone();
        once[i] ^= e1;
        int[] located = ReedSolomon32.locateSingleError(once, n);
        assertNotNull(located);
        assertArrayEquals(new int[] {i, e1}, located);
        for (int j = i + 1; j < n; j++) {
          for (int e2 = 1; e2 < 32; e2++) {
            int[] twice = once.clone();
            twice[j] ^= e2;
            assertTrue(
                ReedSolomon32.syndrome(twice, n, 1) != 0 || ReedSolomon32.syndrome(twice, n, 2) != 0,
                "undetected errors at " + i + " and " + j);
          }
        }
      }
    }
  }
}
