package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats: what the snapshots hold against what deduplication, compression and redundancy make of it. */
class StatsIT {
  @TempDir Path dir;

  @Test
  void stats_showWhatDeduplicationCompressionAndRedundancyDo() throws Exception {
    Repo repo = Repo.create(dir, "a", "b", "c"); // 2 data + 1 parity shards
    assertTrue(repo.ok("stats").stdout().contains("no snapshots yet"));
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    BackupRestoreIT.writeRandom(src.resolve("one.bin"), 3_000_000, 1);
    Files.copy(src.resolve("one.bin"), src.resolve("copy.bin")); // the same content twice
    Files.writeString(src.resolve("text.txt"), "all work and no play ".repeat(50_000)); // 1 MB that compresses
    repo.ok("source", "add", src.toString(), "--name", "s");
    repo.ok("backup", "s");
    repo.ok("backup", "s"); // nothing changed: a second snapshot of the same files

    JsonNode s = repo.json("stats");
    assertEquals(2, s.get("snapshots").asInt());
    assertEquals(1, s.get("sources").asInt());
    long files = 3_000_000 * 2 + 1_050_000;
    assertEquals(files, s.get("latestBytes").asLong());
    assertEquals(2 * files, s.get("allBytes").asLong(), "each snapshot counts its files");
    long chunkBytes = s.get("chunkBytes").asLong();
    assertEquals(4_050_000, chunkBytes, "the copy and the second snapshot add no chunk");
    assertTrue(s.get("storedBytes").asLong() < 3_200_000, "the text compressed: " + s);
    double redundancy = (double) s.get("shardBytes").asLong() / s.get("packBytes").asLong();
    assertTrue(redundancy > 1.45 && redundancy < 1.6, "2+1 shards take about 1.5 times the packs: " + s);
    String human = repo.ok("stats").stdout();
    assertTrue(human.contains("snapshots:       2") && human.contains("compression saves")
        && human.contains("deduplication and compression together"), human);
  }
}
