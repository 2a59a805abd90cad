package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The threads behind the walker run at a lower priority (nice 4); the others keep theirs. */
class LowerPriorityTest {
  /** The calling thread's nice value, field 19 of its stat line (after the parenthesised name). */
  private static int niceOfThisThread() throws Exception {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(f[16]);
  }

  @Test
  void poolThreads_runAtNiceFour_theCallerKeepsItsPriority() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
    int mine = niceOfThisThread();
    ExecutorService pool = Executors.newFixedThreadPool(2, LowerPriority.threads("selfstorage-test"));
    try {
      assertEquals(Math.max(mine, LowerPriority.NICE), (int) pool.submit(LowerPriorityTest::niceOfThisThread).get());
      assertEquals("selfstorage-test", pool.submit(() -> Thread.currentThread().getName()).get());
    } finally {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertEquals(mine, niceOfThisThread(), "the thread that made the pool is untouched");
  }
}
