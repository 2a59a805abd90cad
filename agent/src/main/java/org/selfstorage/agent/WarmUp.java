package org.selfstorage.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.selfstorage.federation.Federation;

/**
 * A throwaway backup and restore in a scratch home: the code a real backup runs (reading, chunking,
 * hashing, compressing, sealing, erasure coding, writing, the catalog) and the SSH transfer of
 * shards get compiled before the first real backup needs them. Random data, fresh keys, three
 * local stores and a loopback SSH server; all removed after.
 */
final class WarmUp {
  private static final int FILES = 6;
  private static final int FILE_BYTES = 8 << 20;
  /**
   * A tree of small files as well: a real home has thousands of directories, and the code that
   * walks, compares and encodes them was still being compiled during the first real backup (4.6 s
   * of C2 time in a 1.5 GiB backup right after a warm-up that had one directory).
   */
  private static final int DIRS = 60;
  private static final int FILES_PER_DIR = 40;

  private WarmUp() {}

  static void run(Path scratch, Clock clock) throws IOException, InterruptedException {
    delete(scratch);
    try {
      Path data = scratch.resolve("data");
      Files.createDirectories(data);
      Random random = new Random(1);
      byte[] block = new byte[FILE_BYTES];
      for (int i = 0; i < FILES; i++) {
        random.nextBytes(block);
        // half random, half text-like, so both the compressing and the storing paths run
        if (i % 2 == 1) {
          for (int j = 0; j < block.length; j++) {
            block[j] = (byte) ('a' + (block[j] & 15));
          }
        }
        Files.write(data.resolve("f" + i), block);
      }
      for (int d = 0; d < DIRS; d++) {
        Path dir = Files.createDirectories(data.resolve("tree").resolve("d" + d % 7).resolve("d" + d));
        for (int f = 0; f < FILES_PER_DIR; f++) {
          Files.write(dir.resolve("s" + f + ".txt"), java.util.Arrays.copyOf(block, 200 + random.nextInt(4000)));
        }
      }
      Home home = new Home(scratch.resolve("home"));
      Agent.init(home, clock);
      try (Agent agent = Agent.open(home, clock)) {
        for (String site : List.of("a", "b", "c")) {
          agent.addStore(scratch.resolve("stores").resolve(site), null, site);
        }
        agent.addSource(data, "data");
        agent.backup("data", null, Progress.Listener.NONE);
        // the second backup takes the path of every later one: unchanged files are not read
        Files.write(data.resolve("tree").resolve("d0").resolve("d0").resolve("s0.txt"), new byte[] {1});
        agent.backup("data", null, Progress.Listener.NONE);
        agent.restore("latest", scratch.resolve("restored"), List.of(), Progress.Listener.NONE);
      }
      // the partner side: SSH encryption both ways and the shard channel, client and server
      Federation.warmUp(scratch.resolve("ssh"), 96L << 20);
    } finally {
      delete(scratch);
    }
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
