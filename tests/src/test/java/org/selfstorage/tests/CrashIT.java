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
    for (int i = 0; i < 12; i++) {
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
    for (int round = 0; round < 8; round++) {
      // new data every round, so that every backup has packs to upload and can be caught mid-way
      BackupRestoreIT.writeRandom(src.resolve("round" + round + ".bin"), 12_000_000, 100 + round);
      // kill once the stores hold a chosen number of new shard files: a point inside the upload phase
      int before = countShards(repo);
      // a round adds about three shard files (one pack of new data), the first about fifteen
      int target = before + points.nextInt(round == 0 ? 15 : 3);
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
    assertTrue(kills >= 4, "most rounds should have killed a running backup (seed " + seed + ")");

    JsonNode last = repo.json("backup", "s");
    assertTrue(last.get("addedBytes").asLong() < last.get("bytes").asLong() / 2,
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
