package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md F3 and C6: a catalog put back from an older copy deletes nothing and names the
 * command that replaces it; a store put back from an older copy is noticed and what it lost is
 * rebuilt.
 */
class StaleCatalogTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();

  private Home home() {
    return new Home(dir.resolve("home"));
  }

  private Path src() {
    return dir.resolve("src");
  }

  /** A home with three local stores and one snapshot of a small tree. */
  private Home withFirstSnapshot() throws Exception {
    Home h = home();
    Agent.init(h, clock, "alice", null, null);
    Files.createDirectories(src().resolve("sub"));
    Files.writeString(src().resolve("a.txt"), "first");
    Files.write(src().resolve("sub/big.bin"), new java.util.Random(1).ints(300_000).mapToObj(Integer::toString)
        .reduce(new StringBuilder(), StringBuilder::append, StringBuilder::append).toString().getBytes());
    try (Agent a = Agent.open(h, clock)) {
      for (int i = 1; i <= 3; i++) {
        a.addStore(dir.resolve("store" + i), "s" + i, "site" + i);
      }
      a.addSource(src(), "docs");
      a.backup("docs", null, Progress.Listener.NONE);
    }
    return h;
  }

  private void secondSnapshot(Home h) throws Exception {
    Files.write(src().resolve("new.bin"), new java.util.Random(2).ints(200_000).mapToObj(Integer::toString)
        .reduce(new StringBuilder(), StringBuilder::append, StringBuilder::append).toString().getBytes());
    try (Agent a = Agent.open(h, clock)) {
      a.backup("docs", null, Progress.Listener.NONE);
    }
  }

  /** Every shard file in every store (the catalog copies beside them left out), relative names. */
  private Set<String> shardFiles() throws IOException {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (int i = 1; i <= 3; i++) {
      Path store = dir.resolve("store" + i);
      try (Stream<Path> s = Files.walk(store)) {
        s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("catalog."))
            .forEach(p -> out.add(dir.relativize(p).toString()));
      }
    }
    return out;
  }

  private static void copyCatalog(Path fromDir, Path toDir) throws IOException {
    Files.createDirectories(toDir);
    for (String n : List.of("catalog.db", "catalog.db-wal", "catalog.db-shm")) {
      Files.deleteIfExists(toDir.resolve(n));
      if (Files.exists(fromDir.resolve(n))) {
        Files.copy(fromDir.resolve(n), toDir.resolve(n), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void staleCatalog_deletesNothing_andRecoverReplacesIt() throws Exception {
    Home h = withFirstSnapshot();
    Path old = dir.resolve("catalog-from-yesterday");
    copyCatalog(h.dir(), old);
    secondSnapshot(h);
    Set<String> before = shardFiles();
    copyCatalog(old, h.dir()); // the user puts back yesterday's file

    try (Agent a = Agent.open(h, clock)) {
      assertEquals(1, a.snapshots(null).size(), "the old catalog knows one snapshot");
      // the surplus sweep would take the second snapshot's packs for garbage: it must refuse, twice
      for (int round = 0; round < 2; round++) {
        AgentException e = assertThrows(AgentException.class, () -> a.sweepSurplus(Map.of()));
        assertEquals("CATALOG_STALE", e.code());
        assertTrue(e.getMessage().contains("copy 1") && e.getMessage().contains("copy 2"), e.getMessage());
        assertTrue(e.fix().contains("recover --store " + dir.resolve("store")), e.fix());
      }
      AgentException prune = assertThrows(AgentException.class, () -> a.prune(Progress.Listener.NONE));
      assertEquals("CATALOG_STALE", prune.code());
      AgentException backup = assertThrows(AgentException.class,
          () -> a.backup("docs", null, Progress.Listener.NONE));
      assertEquals("CATALOG_STALE", backup.code());
      Finding f = a.status().findings().stream().filter(x -> x.code().equals("CATALOG_STALE")).findFirst()
          .orElseThrow();
      assertEquals("error", f.severity());
      assertTrue(a.events(0, 100).stream().filter(ev -> ev.code().equals("CATALOG_STALE")).count() == 1,
          "reported once, not at every refusal");
    }
    assertEquals(before, shardFiles(), "not one shard file was deleted or added");

    // the command shown: recover from the store that has the newest copy, keeping the stale one aside
    Recovery.Result r = Recovery.recover(h, clock, null, null, null, dir.resolve("store1"));
    assertEquals(2, r.snapshots());
    try (Stream<Path> s = Files.list(h.dir())) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("catalog.db.stale-1-")),
          "the stale catalog is kept aside");
    }
    try (Agent a = Agent.open(h, clock)) {
      assertEquals(2, a.snapshots(null).size());
      assertNotNull(a.sweepSurplus(Map.of()));
      a.sweepSurplus(Map.of());
      assertFalse(a.status().findings().stream().anyMatch(x -> x.code().equals("CATALOG_STALE")));
      CheckResult c = a.check(true, Progress.Listener.NONE);
      assertTrue(c.ok(), c.toString());
    }
    assertEquals(before, shardFiles());

    // a catalog as new as the copies is not replaced
    AgentException again = assertThrows(AgentException.class,
        () -> Recovery.recover(h, clock, null, null, null, dir.resolve("store1")));
    assertEquals("HOME_EXISTS", again.code());
  }

  @Test
  void storeRolledBack_isReported_andWhatItLostIsRebuilt() throws Exception {
    Home h = withFirstSnapshot();
    Path store2 = dir.resolve("store2");
    Path yesterday = dir.resolve("store2-yesterday");
    copyTree(store2, yesterday);
    secondSnapshot(h);
    deleteTree(store2);
    Files.move(yesterday, store2); // the disk of store 2 was put back from an old image

    try (Agent a = Agent.open(h, clock)) {
      a.sweepSurplus(Map.of());
      var events = a.events(0, 200);
      var rolled = events.stream().filter(ev -> ev.code().equals("STORE_ROLLED_BACK")).toList();
      assertEquals(1, rolled.size(), events.toString());
      assertTrue(rolled.get(0).message().contains("s2 rolled back (catalog copy 1 < 2)"), rolled.get(0).message());
      assertTrue(a.heal(Progress.Listener.NONE) != null, "self-healing has shards to rebuild");
      CheckResult c = a.check(true, Progress.Listener.NONE);
      assertTrue(c.ok(), c.toString());
      a.sweepSurplus(Map.of());
      assertEquals(1, a.events(0, 200).stream().filter(ev -> ev.code().equals("STORE_ROLLED_BACK")).count(),
          "said once");
      Path out = dir.resolve("out");
      a.restore("latest", out, List.of(), Progress.Listener.NONE);
      assertEquals(-1L, Files.mismatch(src().resolve("new.bin"), out.resolve("new.bin")));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
