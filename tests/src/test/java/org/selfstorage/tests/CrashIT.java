package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 at many points of a backup never damages what is stored, and the next backup finishes. */
class CrashIT {
  @TempDir Path dir;

  @Test
  void aKilledProcess_leavesNoCopyOfTheSqliteLibraryBehind() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path cache = dir.resolve("cache");
    Path home = dir.resolve("home");
    for (String[] args : new String[][] {{"init"}, {"agent", "--no-warm-up"}}) {
      List<String> cmd = new ArrayList<>(Cli.command(home, args));
      cmd.add(1, "-Djava.io.tmpdir=" + tmp);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null"));
      pb.environment().put("XDG_CACHE_HOME", cache.toString());
      Process p = pb.start();
      if (args[0].equals("init")) {
        assertEquals(0, p.waitFor(), "init");
        continue;
      }
      // the agent has its catalog open once it listens on its control socket; then kill -9
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(home.resolve("run").resolve("agent.sock")) && p.isAlive() && System.nanoTime() < deadline) {
        p.waitFor(20, TimeUnit.MILLISECONDS);
      }
      assertTrue(Files.exists(home.resolve("run").resolve("agent.sock")), "the agent started");
      p.destroyForcibly().waitFor();
    }
    try (Stream<Path> left = Files.list(tmp)) {
      List<String> names = left.map(f -> f.getFileName().toString()).filter(n -> n.contains("sqlite")).toList();
      assertEquals(List.of(), names, "copies of the library left in the temporary directory");
    }
    try (Stream<Path> copies = Files.walk(cache)) {
      assertEquals(1, copies.filter(f -> f.getFileName().toString().endsWith("libsqlitejdbc.so")).count(),
          "one copy in the cache, shared by every process");
    }
  }

  @Test
  void backup_killedAtManyPoints_leavesConsistentState_andNextBackupCompletes() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Random random = new Random(2026);
    for (int i = 0; i < 3; i++) {
      BackupRestoreIT.writeRandom(src.resolve("file" + i + ".bin"), 6_000_000 + random.nextInt(1_000_000), i);
    }
    for (int i = 0; i < 300; i++) {
      Files.writeString(src.resolve("small" + i + ".txt"), "small file " + i + "\n".repeat(i));
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");

    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random points = new Random(seed);
    int kills = 0;
    for (int round = 0; round < 6; round++) {
      // new data every round (about five packs, fifteen shard files), so that every backup has work
      // left to be caught in, before, between and after pack commits. Two packs are placed at once,
      // so up to six shard files can exist with no pack committed: kill points reach past that.
      BackupRestoreIT.writeRandom(src.resolve("round" + round + ".bin"), 40_000_000, 100 + round);
      int before = repo.shardFileCount("a", "b", "c");
      int target = before + 1 + points.nextInt(14);
      Process p = new ProcessBuilder(Cli.command(repo.home, "backup", "s", "--quiet"))
          .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && repo.shardFileCount("a", "b", "c") < target && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        p.waitFor(5, TimeUnit.MILLISECONDS);
      }
      if (p.isAlive()) {
        p.destroyForcibly().waitFor();
        kills++;
      }
      Cli.Result check = repo.run("check");
      assertEquals(0, check.exitCode(), "seed " + seed + ", round " + round + ": " + check);
    }
    assertTrue(kills >= 3, "most rounds should have killed a running backup (seed " + seed + ")");

    // packs committed before the kills (1.5 times their data with 2+1 shards) are not stored again;
    // the new snapshot's directory trees come on top of the file bytes
    long storedBefore = repo.json("status").get("storedBytes").asLong();
    JsonNode last = repo.json("backup", "s");
    long reused = (long) (storedBefore / 1.5 * 0.9);
    long trees = 64 * 1024;
    assertTrue(last.get("addedBytes").asLong() <= last.get("bytes").asLong() - reused + trees,
        "the last backup re-used packs stored before the kills (seed " + seed + "): " + last);
    repo.ok("check", "--read-data");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  /**
   * reliability.md A2: kill -9 during repair, at several points, never deletes a referenced shard;
   * the rerun completes; a healthy repository put through repair is left exactly as it was.
   */
  @Test
  void repair_killedAtManyPoints_deletesNothing_andTheRerunCompletes() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < 8; i++) {
      BackupRestoreIT.writeRandom(src.resolve("f" + i + ".bin"), 10_000_000, 300 + i);
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    repo.ok("backup", "s", "--quiet");
    var intact = listing(repo, "a", "b");
    int perStore = repo.shardFiles("c").size();
    assertTrue(perStore >= 4, "several packs to rebuild: " + perStore);

    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random points = new Random(seed);
    int kills = 0;
    for (int round = 0; round < 4; round++) {
      for (Path f : repo.shardFiles("c")) {
        Files.delete(f); // store c loses everything again: every round has the same work
      }
      int target = 1 + points.nextInt(perStore - 1);
      Process p = new ProcessBuilder(Cli.command(repo.home, "repair", "--quiet"))
          .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && repo.shardFiles("c").size() < target && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        p.waitFor(5, TimeUnit.MILLISECONDS);
      }
      if (p.isAlive()) {
        p.destroyForcibly().waitFor();
        kills++;
      }
      assertEquals(intact, listing(repo, "a", "b"), "seed " + seed + ", round " + round
          + ": the surviving shards are untouched");
    }
    assertTrue(kills >= 2, "some rounds should have killed a running repair (seed " + seed + ")");

    repo.ok("repair", "--quiet");
    assertEquals(perStore, repo.shardFiles("c").size());
    repo.ok("check", "--read-data");
    var healthy = listing(repo, "a", "b", "c");
    repo.ok("repair", "--quiet"); // the no-op control: nothing to do, nothing touched
    assertEquals(healthy, listing(repo, "a", "b", "c"));
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  /** Name, size and modification time of every shard file of the given stores. */
  private static java.util.List<String> listing(Repo repo, String... sites) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String site : sites) {
      for (Path f : repo.shardFiles(site)) {
        out.add(site + " " + f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }

}
