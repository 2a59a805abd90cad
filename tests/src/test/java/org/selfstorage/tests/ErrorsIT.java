package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear message with the next command, the right exit code, and loses nothing. */
class ErrorsIT {
  @TempDir Path dir;

  private static void assertFails(Cli.Result r, int code, String errorCode, String next) {
    assertEquals(code, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains(errorCode + ":"), r.toString());
    if (next != null) {
      assertTrue(r.stderr().contains("Next: " + next), r.toString());
    }
  }

  private Repo withSnapshot() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("keep.txt"), "precious");
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "docs");
    repo.ok("backup", "docs");
    return repo;
  }

  private void assertStillRestores(Repo repo) throws Exception {
    Path out = dir.resolve("check-out-" + System.nanoTime());
    repo.ok("restore", "latest", "--target", out.toString());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void usageErrors_exitTwo_withTheNextCommand() throws Exception {
    Repo repo = withSnapshot();
    assertFails(repo.run("backup", "nosuch"), 2, "SOURCE_UNKNOWN", "selfstorage source list");
    assertFails(repo.run("restore", "deadbeef", "--target", dir.resolve("x").toString()), 2, "SNAPSHOT_UNKNOWN",
        "selfstorage snapshots");
    assertFails(repo.run("ls", "not-hex"), 2, "SNAPSHOT_UNKNOWN", "selfstorage snapshots");
    assertFails(repo.run("config", "set", "redundancy.tolerate", "many"), 2, "CONFIG_INVALID", null);
    assertTrue(repo.run("config", "set", "redundancy.tolerate", "many").stderr().contains("a whole number from 0 to 8"));
    assertFails(repo.run("config", "set", "no.such.key", "1"), 2, "CONFIG_UNKNOWN", "selfstorage config show");
    assertFails(repo.run("init"), 2, "HOME_EXISTS", null);
    assertEquals(2, repo.run("backup").exitCode(), "a missing argument is a usage error");
    assertEquals(2, repo.run("frobnicate").exitCode());
    assertFails(Cli.run(dir.resolve("nohome"), "snapshots"), 2, "NO_HOME", "selfstorage --home");
    assertStillRestores(repo);
  }

  @Test
  void config_setAndGet_roundTrip() throws Exception {
    Repo repo = Repo.create(dir, "a");
    repo.ok("config", "set", "redundancy.tolerate", "0");
    assertEquals("0", repo.ok("config", "get", "redundancy.tolerate").stdout().trim());
    assertTrue(repo.ok("config", "show").stdout().contains("redundancy.tolerate"));
  }

  /** Another process writing to the catalog for longer than the wait: a plain message, not a bug report. */
  @Test
  void catalogHeldByAnotherWriter_isNamed_andNothingIsLost() throws Exception {
    Repo repo = withSnapshot();
    try (var other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + repo.home.resolve("catalog.db"));
        var st = other.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      Cli.Result r = repo.run("config", "set", "redundancy.tolerate", "1");
      assertFails(r, 1, "CATALOG_BUSY", "run this again once the other selfstorage command has finished");
      assertTrue(!r.stderr().contains("INTERNAL_ERROR"), r.toString());
      st.execute("ROLLBACK");
    }
    repo.ok("config", "set", "redundancy.tolerate", "1");
    assertStillRestores(repo);
  }

  @Test
  void tooFewSites_refusesBackup_andSaysWhatFixesIt() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("f"), "x");
    Repo repo = Repo.create(dir, "only");
    repo.ok("source", "add", src.toString(), "--name", "s");
    assertFails(repo.run("backup", "s"), 1, "NOT_ENOUGH_SITES", "selfstorage store add DIR --site NAME");
  }

  @Test
  void vanishedSourceDirectory_failsClearly() throws Exception {
    Repo repo = withSnapshot();
    Trees.deleteTree(dir.resolve("src"));
    assertFails(repo.run("backup", "docs"), 1, "SOURCE_MISSING", "selfstorage source list");
    assertStillRestores(repo);
  }

  @Test
  void vanishedStore_backupContinuesOnTheOthers_withAWarning() throws Exception {
    Repo repo = withSnapshot();
    Trees.deleteTree(repo.store("c"));
    Files.writeString(dir.resolve("src/new.txt"), "new");
    Cli.Result r = repo.ok("backup", "docs");
    assertTrue(r.stderr().contains("store c is unavailable"), r.toString());
    assertTrue(r.stdout().contains("1+1 shards"), "two sites left: mirrored, still one loss tolerated: " + r);
    assertStillRestores(repo);
    Cli.Result status = repo.ok("status");
    assertTrue(status.stdout().contains("STORE_UNAVAILABLE"), status.toString());
  }

  @Test
  void corruptCatalog_isNamed_andTheStoresAreUntouched() throws Exception {
    Repo repo = withSnapshot();
    long shardsBefore = repo.shardFiles("a").size();
    Path catalog = repo.home.resolve("catalog.db");
    Files.write(catalog, new byte[8192]);
    Files.deleteIfExists(repo.home.resolve("catalog.db-wal"));
    Files.deleteIfExists(repo.home.resolve("catalog.db-shm"));
    Files.write(catalog, "this is not a database at all, it was overwritten".repeat(200).getBytes());
    Cli.Result r = repo.run("snapshots");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("CATALOG_CORRUPT"), r.toString());
    assertTrue(r.stderr().contains("safe in the stores"), r.toString());
    assertEquals(shardsBefore, repo.shardFiles("a").size());
  }

  /** reliability.md F3: yesterday's catalog.db put back; prune and backup refuse, recover fixes it. */
  @Test
  void staleCatalog_refusesPruneAndBackup_andTheCommandShownFixesIt() throws Exception {
    Repo repo = withSnapshot();
    Path yesterday = dir.resolve("yesterday");
    Files.createDirectories(yesterday);
    Files.copy(repo.home.resolve("catalog.db"), yesterday.resolve("catalog.db"));
    Files.writeString(dir.resolve("src/new.txt"), "written today");
    repo.ok("backup", "docs");
    java.util.List<Path> shards = repo.shardFiles("a");
    Files.deleteIfExists(repo.home.resolve("catalog.db-wal"));
    Files.deleteIfExists(repo.home.resolve("catalog.db-shm"));
    Files.copy(yesterday.resolve("catalog.db"), repo.home.resolve("catalog.db"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    String next = "selfstorage --home " + repo.home + " recover --store " + repo.store("a");
    assertFails(repo.run("prune"), 1, "CATALOG_STALE", next);
    Cli.Result backup = repo.run("backup", "docs");
    assertFails(backup, 1, "CATALOG_STALE", next);
    assertTrue(backup.stderr().contains("put back from an older copy"), backup.toString());
    assertEquals(shards, repo.shardFiles("a"), "nothing deleted");
    assertTrue(repo.ok("status").stdout().contains("CATALOG_STALE"));

    repo.ok("recover", "--store", repo.store("a").toString());
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    assertEquals("written today", Files.readString(out.resolve("new.txt")));
    repo.ok("prune");
    repo.ok("backup", "docs");
  }

  @Test
  void fileChangingWhileRead_isReported_exitThree() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path growing = src.resolve("growing.log");
    Files.write(growing, new byte[1 << 20]);
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s");
    Thread writer = new Thread(() -> {
      byte[] line = "another line of log output\n".getBytes();
      try (var out = Files.newOutputStream(growing, java.nio.file.StandardOpenOption.APPEND)) {
        while (!Thread.currentThread().isInterrupted()) {
          out.write(line);
          out.flush();
        }
      } catch (java.io.IOException ignored) {
        // the test ends the writer by deleting the directory
      }
    });
    writer.setDaemon(true);
    writer.start();
    try {
      Cli.Result r = repo.run("backup", "s");
      assertEquals(3, r.exitCode(), r.toString());
      assertTrue(r.stdout().contains("growing.log: changed while being read"), r.toString());
      assertTrue(r.stdout().contains("INCOMPLETE"), r.toString());
    } finally {
      writer.interrupt();
      writer.join();
    }
    var snaps = repo.json("snapshots");
    assertEquals(1, snaps.get(0).get("incompleteFiles").asLong(), "the snapshot is kept and marked: " + snaps);
  }

  @Test
  void fullStore_failsTheBackupCleanly_andLosesNothing() throws Exception {
    Repo repo = withSnapshot();
    Path small = dir.resolve("small-disk");
    Files.createDirectories(small);
    boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString())
        .start().waitFor() == 0;
    Assumptions.assumeTrue(mounted, "skipped: cannot mount a small tmpfs here (needs root and mount rights)");
    try {
      repo.ok("store", "add", small.resolve("store").toString(), "--site", "tiny");
      BackupRestoreIT.writeRandom(dir.resolve("src/big.bin"), 30_000_000, 3);
      // one full store among four: the packs it refuses go again onto the three others (2+1, which
      // still survives the loss of one), and the backup completes
      Cli.Result done = repo.run("backup", "docs");
      assertEquals(0, done.exitCode(), done.toString());
      assertStillRestores(repo);
      repo.ok("check", "--read-data");

      // when the sites left cannot keep the redundancy asked for, the backup fails cleanly instead
      repo.ok("config", "set", "redundancy.tolerate", "3");
      BackupRestoreIT.writeRandom(dir.resolve("src/big2.bin"), 10_000_000, 4);
      Cli.Result r = repo.run("backup", "docs");
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.stderr().contains("STORE_FULL"), r.toString());
      assertTrue(r.stderr().contains("Everything stored before is safe"), r.toString());
      assertStillRestores(repo);
      repo.ok("check");
    } finally {
      new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
    }
  }
}
