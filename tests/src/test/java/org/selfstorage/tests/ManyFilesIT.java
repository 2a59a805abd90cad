package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Huge file counts (reliability.md §7.4, a fast-tier size of §6 L1): small files, half of them in
 * one directory and a quarter empty, back up and restore exactly, and an unchanged re-run reads no
 * file again. 10,000 files in the fast tier; {@code -Dmanyfiles.count=N} (the long tier: 200,000).
 */
@ExtendWith(FaultReport.class)
class ManyFilesIT {
  @TempDir Path dir;

  @Test
  @DisplayName("7.4/L1 many files: N small files, half in one directory")
  void manySmallFiles_backUpAndRestoreExactly(FaultReport.Scenario s) throws Exception {
    int count = Integer.getInteger("manyfiles.count", 10_000);
    int perDir = 100;
    int dirs = count / 2 / perDir;
    int flatCount = count - dirs * perDir;
    Path src = dir.resolve("src");
    Path flat = src.resolve("flat");
    Files.createDirectories(flat);
    Random random = new Random(20_000);
    for (int i = 0; i < flatCount; i++) {
      Files.write(flat.resolve("entry-" + i), bytes(random));
    }
    for (int d = 0; d < dirs; d++) {
      Path sub = src.resolve("tree").resolve("d" + (d % 10)).resolve("e" + d);
      Files.createDirectories(sub);
      for (int i = 0; i < perDir; i++) {
        Files.write(sub.resolve("f" + i + ".txt"), bytes(random));
      }
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "many");
    long t0 = System.nanoTime();
    JsonNode first = repo.json("backup", "many");
    double backupSeconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(count, first.get("files").asLong(), first::toString);
    JsonNode again = repo.json("backup", "many");
    assertEquals(0, again.get("filesRead").asLong(), "an unchanged re-run reads nothing: " + again);

    Path out = dir.resolve("out");
    t0 = System.nanoTime();
    repo.ok("restore", "latest", "--target", out.toString());
    double restoreSeconds = (System.nanoTime() - t0) / 1e9;
    boolean exact = false;
    try {
      Trees.assertSameTree(src, out);
      exact = true;
    } finally {
      s.restored(exact);
    }
    System.out.printf("%d files: backup %.1f s, restore %.1f s%n", count, backupSeconds, restoreSeconds);
    assertTrue(repo.ok("ls", "latest", "flat").stdout().lines().count() >= flatCount,
        "a directory of " + flatCount + " entries is listed whole");
  }

  private static byte[] bytes(Random random) {
    byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
    random.nextBytes(b);
    return b;
  }
}
