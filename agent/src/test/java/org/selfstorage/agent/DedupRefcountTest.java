package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;

/**
 * reliability.md G4: many backup / forget / prune cycles over heavily overlapping data leave no
 * dangling reference, no shard file the catalog does not know, and stored data within 5 % of a
 * model. Files are smaller than the chunk minimum, so each is exactly one chunk and the model is
 * simply the distinct contents of the snapshots kept.
 */
class DedupRefcountTest {
  private static final int CYCLES = Integer.getInteger("refcount.cycles", 100);
  private static final int KEEP = 5;

  @TempDir Path dir;

  @Test
  void manyOverlappingCycles_leaveNoDanglingReferenceNoLeak_andSpaceMatchesTheModel() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Random random = new Random(4242);
    List<byte[]> contents = new ArrayList<>(); // a pool, so that contents come back (dedup across time)
    for (int i = 0; i < 60; i++) {
      byte[] b = new byte[1 + random.nextInt(200_000)];
      random.nextBytes(b);
      contents.add(b);
    }
    for (int i = 0; i < 25; i++) {
      Files.write(src.resolve("f" + i), contents.get(random.nextInt(contents.size())));
    }
    Home home = new Home(dir.resolve("home"));
    Clock clock = Clock.systemUTC();
    Agent.init(home, clock);
    Deque<Map<String, Long>> states = new ArrayDeque<>(); // distinct contents (hash -> size) per snapshot kept
    try (Agent a = Agent.open(home, clock)) {
      for (int i = 1; i <= 3; i++) {
        a.addStore(dir.resolve("store" + i), "s" + i, "site" + i);
      }
      a.configSet("prune.repack-unused-percent", "1");
      a.addSource(src, "pool");
      a.setPolicy("pool", new RetentionPolicy(KEEP, 0, 0, 0, 0, 0, Duration.ZERO));
      Instant time = Instant.parse("2026-01-01T00:00:00Z");
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        change(src, contents, random);
        time = time.plusSeconds(3600);
        a.backup("pool", time, Progress.Listener.NONE);
        states.addLast(distinctContents(src));
        a.forget("pool", false);
        while (states.size() > KEEP) {
          states.removeFirst();
        }
        if (cycle % 10 == 9) {
          a.prune(Progress.Listener.NONE);
        }
      }
      a.prune(Progress.Listener.NONE);
      assertEquals(KEEP, a.snapshots("pool").size());

      CheckResult check = a.check(true, Progress.Listener.NONE);
      assertTrue(check.ok(), "no dangling reference, nothing damaged: " + check);

      Catalog catalog = a.catalog();
      Set<String> recorded = new TreeSet<>();
      catalog.shards().forEach(r -> recorded.add("s" + r.storeId() + "/" + ShardNames.of(r.packId(), r.index()).value()));
      Set<String> onDisk = new TreeSet<>();
      for (var store : catalog.stores().list()) {
        try (Stream<Path> files = Files.walk(Path.of(store.location()).resolve("shards"))) {
          files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("catalog."))
              .forEach(n -> onDisk.add("s" + store.id() + "/" + n));
        }
      }
      assertEquals(recorded, onDisk, "O-LEAK: the stores hold exactly the shard files the catalog records");
      assertEquals(0, catalog.packs().pendingDeletes().size());

      Map<String, Long> model = new HashMap<>();
      states.forEach(model::putAll);
      long modelBytes = model.values().stream().mapToLong(Long::longValue).sum();
      long stored = 0;
      for (Pack p : catalog.packs().list()) {
        for (BlobEntry b : catalog.blobs().inPack(p.id())) {
          if (b.type() == BlobType.DATA) {
            stored += b.rawLength();
          }
        }
      }
      assertTrue(stored >= modelBytes, "everything the kept snapshots need is stored: " + stored + " < " + modelBytes);
      assertTrue(stored <= modelBytes * 105 / 100, "within 5% of the model: stored " + stored + ", model " + modelBytes);
    }
  }

  /** A day of edits: replace, copy, delete, add, mostly with contents seen before. */
  private static void change(Path src, List<byte[]> contents, Random random) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(src)) {
      files = s.sorted().toList();
    }
    for (int n = 0; n < 3 && !files.isEmpty(); n++) {
      Files.write(files.get(random.nextInt(files.size())), contents.get(random.nextInt(contents.size())));
    }
    if (files.size() > 10 && random.nextBoolean()) {
      Files.delete(files.get(random.nextInt(files.size())));
    }
    if (random.nextInt(4) == 0) {
      byte[] fresh = new byte[1 + random.nextInt(200_000)];
      random.nextBytes(fresh);
      contents.set(random.nextInt(contents.size()), fresh);
    }
    Files.write(src.resolve("n" + random.nextInt(1_000_000)), contents.get(random.nextInt(contents.size())));
  }

  private static Map<String, Long> distinctContents(Path src) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> s = Files.list(src)) {
      for (Path f : s.toList()) {
        byte[] b = Files.readAllBytes(f);
        out.put(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)), (long) b.length);
      }
    }
    return out;
  }
}
