package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.chunk.ChunkerParams;
import org.selfstorage.agent.pack.PackWriter;

/**
 * reliability.md §7.4: files whose sizes sit on every boundary the data path has (chunk minimum,
 * average, maximum, pack size, one byte either side), random and all-zero, restore byte for byte.
 */
class ChunkBoundarySizesTest {
  @TempDir Path dir;

  @Test
  void everyBoundarySize_restoresExactly() throws Exception {
    ChunkerParams p = ChunkerParams.defaults();
    List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2));
    for (int edge : new int[] {p.min(), p.average(), p.max(), 2 * p.max(), PackWriter.TARGET_SIZE}) {
      sizes.addAll(List.of(edge - 1, edge, edge + 1));
    }
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Random random = new Random(74);
    for (int size : sizes) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Files.write(src.resolve("random-" + size), data);
      if (size >= p.min()) {
        // zero runs never match a cut mask: they are cut at max, then whatever is left
        Files.write(src.resolve("zeros-" + size), new byte[size]);
      }
    }
    // one chunk of zeros but for one byte, which the search for zero runs must not miss wherever it is
    List<Integer> oneBytePositions = List.of(0, (64 << 10) - 1, 64 << 10, p.max() - 1);
    for (int at : oneBytePositions) {
      byte[] data = new byte[p.max()];
      data[at] = 1;
      Files.write(src.resolve("one-byte-at-" + at), data);
    }
    Home home = new Home(dir.resolve("home"));
    Clock clock = Clock.systemUTC();
    Agent.init(home, clock);
    try (Agent a = Agent.open(home, clock)) {
      for (int i = 1; i <= 3; i++) {
        a.addStore(dir.resolve("store" + i), "s" + i, "site" + i);
      }
      a.addSource(src, "edges");
      a.backup("edges", null, Progress.Listener.NONE);
      Path out = dir.resolve("out");
      a.restore("latest", out, List.of(), Progress.Listener.NONE);
      for (int size : sizes) {
        for (String kind : List.of("random-", "zeros-")) {
          Path original = src.resolve(kind + size);
          if (Files.exists(original)) {
            Path restored = out.resolve(kind + size);
            assertEquals(size, Files.size(restored), kind + size);
            assertEquals(-1L, Files.mismatch(original, restored), kind + size + " differs");
          }
        }
      }
      for (int at : oneBytePositions) {
        assertEquals(-1L, Files.mismatch(src.resolve("one-byte-at-" + at), out.resolve("one-byte-at-" + at)),
            "the byte at " + at);
      }
      assertEquals(true, a.check(true, Progress.Listener.NONE).ok());
    }
  }
}
