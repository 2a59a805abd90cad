package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.store.PowerCutRecorder;

/**
 * reliability.md A3 for the owner: its machine loses power at a random point of a run of backups
 * to three local stores (the stores' disks keep only what was forced; the catalog is SQLite with
 * {@code synchronous=FULL}, whose own power-loss safety SQLite tests). After the restart every
 * snapshot the catalog lists, and every backup that was acknowledged, restores exact; the next
 * backup removes the leftovers, naming them, and {@code check --read-data} is clean.
 */
class PowerCutOwnerTest {
  private static final int CUTS = Integer.getInteger("powercut.owner-cuts", 12);
  private static final long SEED = Long.getLong("powercut.seed", System.nanoTime());
  private static final int BACKUPS = 3;

  private final Clock clock = Clock.systemUTC();
  @TempDir Path dir;

  @Test
  void acknowledgedSnapshotsRestoreAfterAPowerCutOfTheOwner() throws Exception {
    System.out.println("owner power-cut seed " + SEED + " (replay: -Dpowercut.seed=" + SEED + ")");
    Random random = new Random(SEED);
    long calls = run(dir.resolve("dry"), Long.MAX_VALUE, random.nextLong());
    assertTrue(calls > 30, "the backups make enough durability calls to cut between: " + calls);
    for (int i = 0; i < CUTS; i++) {
      run(dir.resolve("cut" + i), random.nextLong(calls + 1), random.nextLong());
    }
    System.out.println(CUTS + " owner power cuts (of " + calls + " durability calls): " + restored
        + " snapshots restored exact, " + acked + " of them acknowledged; " + removed + " leftovers removed");
  }

  private int restored;
  private int acked;
  private int removed;

  private long run(Path base, long cutAt, long seed) throws Exception {
    Random random = new Random(seed);
    Home home = new Home(base.resolve("home"));
    Path src = Files.createDirectories(base.resolve("src"));
    List<Path> stores = List.of(base.resolve("s1"), base.resolve("s2"), base.resolve("s3"));
    Agent.init(home, clock);
    Map<String, Map<String, byte[]>> expected = new HashMap<>();
    try (Agent a = Agent.open(home, clock)) {
      for (int i = 0; i < stores.size(); i++) {
        a.addStore(stores.get(i), "s" + (i + 1), "site" + (i + 1));
      }
      a.addSource(src, "docs");
      change(src, random);
      expected.put(a.backup("docs", null, Progress.Listener.NONE).snapshotId(), tree(src));
    }
    PowerCutRecorder recorder = new PowerCutRecorder(cutAt, random, stores.toArray(Path[]::new));
    List<String> acknowledged = new ArrayList<>(expected.keySet());
    Map<String, byte[]> lastAttempt = null;
    try (Agent a = Agent.open(home, clock)) {
      a.useDurability(recorder);
      for (int b = 0; b < BACKUPS && !recorder.isCut(); b++) {
        change(src, random);
        lastAttempt = tree(src);
        try {
          String id = a.backup("docs", null, Progress.Listener.NONE).snapshotId();
          expected.put(id, lastAttempt);
          if (!recorder.isCut()) {
            acknowledged.add(id);
          }
        } catch (RuntimeException e) {
          if (!recorder.isCut()) {
            throw e;
          }
        }
      }
    }
    long calls = recorder.calls();
    recorder.materialise();
    int leftovers = 0;
    for (Path s : stores) {
      try (Stream<Path> t = Files.list(s.resolve("tmp"))) {
        leftovers += (int) t.count();
      }
    }

    try (Agent a = Agent.open(home, clock)) {
      List<SnapshotInfo> listed = a.snapshots(null);
      for (String id : acknowledged) {
        assertTrue(listed.stream().anyMatch(s -> s.id().equals(id)), "acknowledged snapshot " + id + " is listed");
      }
      for (SnapshotInfo s : listed) {
        Map<String, byte[]> want = expected.getOrDefault(s.id(), lastAttempt);
        assertNotNull(want, "snapshot " + s.id() + " comes from one of the backups");
        Path out = base.resolve("restore-" + s.shortId());
        a.restore(s.id(), out, List.of(), Progress.Listener.NONE);
        assertSameTree(want, tree(out), s.id());
      }
      restored += listed.size();
      acked += acknowledged.size();
      removed += leftovers;
      change(src, random);
      String next = a.backup("docs", null, Progress.Listener.NONE).snapshotId();
      Path out = base.resolve("restore-next");
      Map<String, byte[]> want = tree(src);
      a.restore(next, out, List.of(), Progress.Listener.NONE);
      assertSameTree(want, tree(out), next);
      for (Path s : stores) {
        try (Stream<Path> t = Files.list(s.resolve("tmp"))) {
          assertEquals(0, t.count(), "the backup after the restart removed the leftovers in " + s);
        }
      }
      if (leftovers > 0) {
        assertTrue(a.events(0, 500).stream().anyMatch(e -> e.code().equals("LEFTOVERS_REMOVED")),
            leftovers + " leftovers were removed and named in the event log");
      }
      CheckResult check = a.check(true, Progress.Listener.NONE);
      assertTrue(check.ok(), "check --read-data after the power cut: " + check);
    }
    return calls;
  }

  /** Adds two files and rewrites one: a few hundred KiB of new data per backup. */
  private static void change(Path src, Random random) throws Exception {
    for (int i = 0; i < 2; i++) {
      byte[] b = new byte[random.nextInt(400_000)];
      random.nextBytes(b);
      Files.write(src.resolve("f" + Long.toHexString(random.nextLong())), b);
    }
    try (Stream<Path> s = Files.list(src)) {
      List<Path> files = s.sorted().toList();
      byte[] b = new byte[random.nextInt(100_000)];
      random.nextBytes(b);
      Files.write(files.get(random.nextInt(files.size())), b);
    }
  }

  private static Map<String, byte[]> tree(Path root) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void assertSameTree(Map<String, byte[]> want, Map<String, byte[]> got, String snapshot) {
    assertEquals(want.keySet(), got.keySet(), "files of snapshot " + snapshot);
    for (String f : want.keySet()) {
      if (!Arrays.equals(want.get(f), got.get(f))) {
        fail("snapshot " + snapshot + " restored " + f + " with other bytes");
      }
    }
  }
}
