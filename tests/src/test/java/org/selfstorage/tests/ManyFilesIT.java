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
 * Huge file counts (reliability.md §7.4, a fast-tier size of §6 L1): 20,000 small files, half of
 * them in one directory and a quarter empty, back up and restore exactly, and an unchanged re-run
 * reads no file again.
 */
@ExtendWith(FaultReport.class)
class ManyFilesIT {
  @TempDir Path dir;

  @Test
  @DisplayName("7.4/L1 many files: 20,000 small files, 10,000 in one directory")
  void twentyThousandSmallFiles_backUpAndRestoreExactly(FaultReport.Scenario s) throws Exception {
    Path src = dir.resolve("src");
    Path flat = src.resolve("flat");
    Files.createDirectories(flat);
    Random random = new Random(20_000);
    for (int i = 0; i < 10_000; i++) {
      Files.write(flat.resolve("entry-" + i), bytes(random));
    }
    for (int d = 0; d < 100; d++) {
      Path sub = src.resolve("tree").resolve("d" + (d % 10)).resolve("e" + d);
      Files.createDirectories(sub);
      for (int i = 0; i < 100; i++) {
        Files.write(sub.resolve("f" + i + ".txt"), bytes(random));
      }
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "many");
    long t0 = System.nanoTime();
    JsonNode first = repo.json("backup", "many");
    double backupSeconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(20_000, first.get("files").asLong(), first::toString);
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
    System.out.printf("20,000 files: backup %.1f s, restore %.1f s%n", backupSeconds, restoreSeconds);
    assertTrue(repo.ok("ls", "latest", "flat").stdout().lines().count() >= 10_000,
        "a directory of 10,000 entries is listed whole");
  }

  private static byte[] bytes(Random random) {
    byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
    random.nextBytes(b);
    return b;
  }
}
