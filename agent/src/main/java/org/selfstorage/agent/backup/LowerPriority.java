package org.selfstorage.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Threads of a backup that work behind the walker (sealing, erasure coding, store writes): on
 * Linux each lowers its own scheduling priority to nice {@link #NICE} when it starts, so that on a
 * machine with few cores the walker, which sets the pace of the whole backup, gets a core first.
 * Measured on the 2-core bench machine: the walker spent a third of the backup runnable but waiting
 * for a core behind these threads, which have slack (design.md §10, session 24).
 *
 * <p>Java's thread priorities do nothing on Linux unless the JVM runs with
 * {@code -XX:ThreadPriorityPolicy=1}, which prints a warning for every user but root; so the
 * thread runs {@code renice} on itself (its task id from {@code /proc/thread-self}). Raising one's
 * own nice value needs no privilege. Where that cannot be done (no /proc, no renice) the thread
 * keeps its priority: nothing else changes.
 */
final class LowerPriority {
  static final int NICE = 4;

  private LowerPriority() {}

  /** Daemon threads named {@code name} that lower their priority before their first task. */
  static ThreadFactory threads(String name) {
    return r -> {
      Thread t = new Thread(() -> {
        lowerThisThread();
        r.run();
      }, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void lowerThisThread() {
    Path self = Path.of("/proc/thread-self");
    if (!Files.exists(self)) {
      return;
    }
    try {
      String task = Files.readSymbolicLink(self).getFileName().toString(); // "PID/task/TID"
      Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", task)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // no renice here: the thread keeps its priority
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
