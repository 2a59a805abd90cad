package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 at many points of a backup never damages what is stored, and the next backup finishes. */
class CrashIT {
  @TempDir Path dir;

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
      // new data every round (about three packs, nine shard files), so that every backup has work
      // left to be caught in, before, between and after pack commits
      BackupRestoreIT.writeRandom(src.resolve("round" + round + ".bin"), 40_000_000, 100 + round);
      int before = countShards(repo);
      int target = before + 1 + points.nextInt(8);
      Process p = new ProcessBuilder(Cli.command(repo.home, "backup", "s", "--quiet"))
          .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && countShards(repo) < target && System.nanoTime() < deadline) {
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

    // packs committed before the kills (1.5 times their data with 2+1 shards) are not stored again
    long storedBefore = repo.json("status").get("storedBytes").asLong();
    JsonNode last = repo.json("backup", "s");
    long reused = (long) (storedBefore / 1.5 * 0.9);
    assertTrue(last.get("addedBytes").asLong() <= last.get("bytes").asLong() - reused,
        "the last backup re-used packs stored before the kills (seed " + seed + "): " + last);
    repo.ok("check", "--read-data");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  private static int countShards(Repo repo) throws Exception {
    int n = 0;
    for (String s : new String[] {"a", "b", "c"}) {
      Path shards = repo.store(s).resolve("shards");
      if (Files.isDirectory(shards)) {
        try (var w = Files.walk(shards)) {
          n += (int) w.filter(Files::isRegularFile).count();
        }
      }
    }
    return n;
  }
}
