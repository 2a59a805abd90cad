package org.selfstorage.agent;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.selfstorage.federation.Federation;

/**
 * Throwaway backups and restores in a scratch home: the code a real backup runs (reading, chunking,
 * hashing, compressing, sealing, erasure coding, writing, the catalog) and the SSH transfer of
 * shards get compiled before the first real backup needs them. Random data, fresh keys, three
 * local stores and a loopback SSH server; all removed after. The workload runs in rounds on new
 * contents until the JIT has caught up with it ({@link JitProgress}).
 */
final class WarmUp {
  private static final int FILES = 6;
  /**
   * Larger than twice the largest chunk, so that the files are read ahead as a real large file is,
   * and one file holds a run of zeros (stored as zero chunks, restored as a hole): code a warm-up
   * leaves unrun is compiled, or thrown out and run interpreted, in the middle of the first real
   * backup (measured with JFR: ChunkReader's read-ahead path and Archiver.allZero were).
   */
  private static final int FILE_BYTES = 12 << 20;
  private static final int ZEROS_FROM = 2 << 20;
  private static final int ZEROS_TO = 11 << 20;
  /**
   * Above what the small files' read-ahead takes, below what is read ahead as a large file; small,
   * since each round writes its files to disk (about 250 MB a round with the stores and restore).
   */
  private static final int MEDIUM_BYTES = 2 << 20;
  /**
   * A tree of small files as well: a real home has thousands of directories, and the code that
   * walks, compares and encodes them was still being compiled during the first real backup (4.6 s
   * of C2 time in a 1.5 GiB backup right after a warm-up that had one directory).
   */
  private static final int DIRS = 150;
  private static final int FILES_PER_DIR = 40;
  /** Rounds of the workload on new contents at most; see {@link JitProgress}. */
  static final int MAX_ROUNDS = 4;
  /** JIT time (summed over compiler threads) of a round below which another round is not run. */
  private static final long SETTLED_MILLIS = 300;
  private static final Duration QUIET_POLL = Duration.ofMillis(300);
  private static final Duration QUIET_WAIT_LIMIT = Duration.ofSeconds(10);

  private WarmUp() {}

  /** Runs the warm-up; returns the rounds of the workload it took. */
  static int run(Path scratch, Clock clock) throws IOException, InterruptedException {
    delete(scratch);
    int rounds;
    try {
      Path data = scratch.resolve("data");
      Random random = new Random(1);
      write(data, random);
      Home home = new Home(scratch.resolve("home"));
      Agent.init(home, clock);
      try (Agent agent = Agent.open(home, clock)) {
        for (String site : List.of("a", "b", "c")) {
          agent.addStore(scratch.resolve("stores").resolve(site), null, site);
        }
        agent.addSource(data, "data");
        JitProgress jit = new JitProgress();
        for (rounds = 1; ; rounds++) {
          agent.backup("data", null, Progress.Listener.NONE);
          // the second backup takes the path of every later one: unchanged files are not read
          Files.write(data.resolve("tree").resolve("d0").resolve("d0").resolve("s0.txt"), new byte[] {(byte) rounds});
          agent.backup("data", null, Progress.Listener.NONE);
          agent.restore("latest", scratch.resolve("restored-" + rounds), List.of(), Progress.Listener.NONE);
          if (rounds == MAX_ROUNDS || jit.settled()) {
            break;
          }
          write(data, random); // new contents: every file is read, chunked and stored again
        }
      }
      // the partner side: SSH encryption both ways and the shard channel, client and server
      Federation.warmUp(scratch.resolve("ssh"), 96L << 20);
      return rounds;
    } finally {
      delete(scratch);
    }
  }

  /** The data set, with new contents each time (same names, so later rounds replace files). */
  private static void write(Path data, Random random) throws IOException {
    byte[] block = new byte[FILE_BYTES];
    random.nextBytes(block);
    for (int d = 0; d < DIRS; d++) {
      Path dir = Files.createDirectories(data.resolve("tree").resolve("d" + d % 7).resolve("d" + d));
      for (int f = 0; f < FILES_PER_DIR; f++) {
        Files.write(dir.resolve("s" + f + ".txt"), text(block, 200 + random.nextInt(4000)));
      }
      if (d % 10 == 9) {
        // what a real tree has besides small files, spread through the walk
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.write(dir.resolve("\u00e9t\u00e9 \u65e5\u8a18.txt"), text(block, 3000));
        Files.deleteIfExists(dir.resolve("link"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("s0.txt"));
        Files.write(dir.resolve("medium.bin"), Arrays.copyOf(block, MEDIUM_BYTES));
      }
    }
    // after the tree in the walk's order: by then the code that reads files has been profiled on
    // small ones, and the large ones make it take its other branches while this is a warm-up
    Path large = Files.createDirectories(data.resolve("z-large"));
    for (int i = 0; i < FILES; i++) {
      random.nextBytes(block);
      // half random, half text-like, so both the storing and the compressing paths run
      byte[] content = i % 2 == 1 ? text(block, block.length) : block;
      if (i == 0) {
        Arrays.fill(content, ZEROS_FROM, ZEROS_TO, (byte) 0);
      }
      Files.write(large.resolve("f" + i), i % 3 == 2 ? Arrays.copyOf(content, MEDIUM_BYTES) : content);
    }
  }

  /**
   * The JIT compilers' progress. On two cores C2 falls behind a single pass of the workload, which
   * then leaves the hot code at C1's levels and lets C2 compile it during the first real backup
   * (measured: 0.7-0.8 s of JIT time in a 1.5 GiB backup right after a one-pass warm-up).
   */
  private static final class JitProgress {
    private final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    private final boolean measured = bean != null && bean.isCompilationTimeMonitoringSupported();
    private long mark = measured ? bean.getTotalCompilationTime() : 0;

    /**
     * Waits until the compilers have finished what the last round gave them; true if that round
     * compiled little, so another would not pay. Without the JIT's time, never: the rounds run to
     * MAX_ROUNDS.
     */
    boolean settled() throws InterruptedException {
      if (!measured) {
        return false;
      }
      long deadline = System.nanoTime() + QUIET_WAIT_LIMIT.toNanos();
      long now = bean.getTotalCompilationTime();
      while (System.nanoTime() < deadline) {
        Thread.sleep(QUIET_POLL.toMillis()); // polling the compilers' clock, bounded by the deadline
        long later = bean.getTotalCompilationTime();
        if (later == now) {
          break;
        }
        now = later;
      }
      long spent = now - mark;
      mark = now;
      return spent < SETTLED_MILLIS;
    }
  }

  /** The first {@code length} bytes of {@code random} as text-like bytes, which compress. */
  private static byte[] text(byte[] random, int length) {
    byte[] out = new byte[length];
    for (int j = 0; j < length; j++) {
      out[j] = (byte) ('a' + (random[j] & 15));
    }
    return out;
  }

  private static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
