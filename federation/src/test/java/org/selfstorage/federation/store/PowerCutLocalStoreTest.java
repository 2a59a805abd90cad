package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md A3 for a local-directory store: a power cut at random points of concurrent puts.
 * After it, every acknowledged shard is there with its bytes, no shard file is torn or empty under
 * its real name, and the leftovers (temporary files, whole or torn) are all in {@code tmp/}, which
 * {@link LocalDirShardStore#removeLeftovers} empties, naming each.
 */
class PowerCutLocalStoreTest {
  private static final int CUTS = Integer.getInteger("powercut.cuts", 100);
  private static final long SEED = Long.getLong("powercut.seed", System.nanoTime());

  @TempDir Path dir;

  @Test
  void everyAcknowledgedPutSurvivesAPowerCut_atRandomPoints() throws Exception {
    System.out.println("power-cut seed " + SEED + " (replay: -Dpowercut.seed=" + SEED + ")");
    Random random = new Random(SEED);
    long calls = run(dir.resolve("dry"), Long.MAX_VALUE, new Random(random.nextLong()), null);
    assertTrue(calls > 50, "the workload makes enough durability calls to cut between: " + calls);
    int acked = 0;
    int leftovers = 0;
    for (int i = 0; i < CUTS; i++) {
      long cutAt = random.nextLong(calls + 1);
      int[] counts = new int[2];
      run(dir.resolve("cut" + i), cutAt, new Random(random.nextLong()), counts);
      acked += counts[0];
      leftovers += counts[1];
    }
    System.out.println(CUTS + " power cuts: " + acked + " acknowledged puts all survived, " + leftovers
        + " leftover temporary files removed");
  }

  /** One run of the workload with a cut at {@code cutAt}; returns the calls made before it. */
  private static long run(Path root, long cutAt, Random random, int[] counts) throws Exception {
    LocalDirShardStore.init(root, "s1").close();
    // half the prefix directories gone, as in a store made before init made them all: the puts
    // into those make their directory themselves, and that must survive a cut as well
    for (int i = 0; i < 256; i += 2) {
      Files.delete(root.resolve("shards").resolve(String.format("%02x", i)));
    }
    PowerCutRecorder recorder = new PowerCutRecorder(cutAt, random, root);
    PowerCutWorkload work = new PowerCutWorkload();
    work.run(LocalDirShardStore.open(root, recorder), recorder, random, 3, 12);
    long calls = recorder.calls();
    List<Path> torn = recorder.materialise();
    for (Path t : torn) {
      assertTrue(t.startsWith(root.resolve("tmp")), "only temporary files may be torn: " + t);
    }
    LocalDirShardStore store = LocalDirShardStore.open(root);
    List<String> tmpBefore;
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      tmpBefore = s.map(p -> "tmp/" + p.getFileName()).sorted().toList();
    }
    List<String> removed = store.removeLeftovers().stream().map(r -> r.substring(0, r.indexOf(" ("))).sorted().toList();
    assertEquals(tmpBefore, removed, "every leftover is removed and named");
    try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
      assertEquals(0, s.count());
    }
    work.verify(store);
    if (counts != null) {
      counts[0] = work.acknowledged();
      counts[1] = removed.size();
    }
    return calls;
  }
}
