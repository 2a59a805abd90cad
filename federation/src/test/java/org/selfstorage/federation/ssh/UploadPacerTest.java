package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadPacerTest {
  @Test
  void withoutALimit_nothingWaits() throws Exception {
    UploadPacer p = new UploadPacer();
    for (int i = 0; i < 1_000; i++) {
      assertEquals(0, p.reserve(1 << 20));
    }
  }

  @Test
  void aBurstGoesAtOnce_thenTheRateHolds_acrossThreads() throws Exception {
    UploadPacer p = new UploadPacer();
    p.setRate(4 << 20);
    assertEquals(0, p.reserve(64 << 10), "within the quarter second of burst");
    long t0 = System.nanoTime();
    Thread[] threads = new Thread[4];
    long[] waited = new long[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int n = t;
      threads[t] = new Thread(() -> {
        try {
          for (int i = 0; i < 16; i++) {
            long wait = p.reserve(64 << 10);
            UploadPacer.sleep(wait);
            waited[n] += wait;
          }
        } catch (java.io.InterruptedIOException e) {
          throw new IllegalStateException(e);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // 4 MiB more at 4 MiB/s, less the burst: at least 0.75 s, whichever thread sent what
    assertTrue(seconds >= 0.7, "4 MiB in " + seconds + " s at 4 MiB/s");
    assertTrue(waited[0] + waited[1] + waited[2] + waited[3] > 0);
  }

  @Test
  void aNegativeRate_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new UploadPacer().setRate(-1));
  }
}
