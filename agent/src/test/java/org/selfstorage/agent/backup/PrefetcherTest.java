package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.tree.Tree;

class PrefetcherTest {
  @TempDir
  Path dir;

  @Test
  void readsAheadOnlySmallFilesThatChanged_neverOpensAFifo_andStopsOnClose() throws Exception {
    Path small = write("a-small", 10_000);
    Path unchanged = write("b-unchanged", 10_000);
    Path large = write("c-large", (int) Prefetcher.LARGEST + 1);
    Path empty = write("d-empty", 0);
    Path fifo = dir.resolve("e-fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, p.waitFor(), "mkfifo");
    Path link = Files.createSymbolicLink(dir.resolve("f-link"), small);
    Path missing = dir.resolve("g-missing");
    Path last = write("h-last", 100);
    Tree previous = new Tree(List.of(FileScanner.scan(unchanged, name(unchanged))));

    List<Path> paths = List.of(small, unchanged, large, empty, fifo, link, missing, last);
    List<byte[]> names = new ArrayList<>();
    paths.forEach(x -> names.add(name(x)));
    Prefetcher prefetcher = new Prefetcher(1); // one thread takes entries in order: "last" is read last
    try {
      Prefetcher.Batch batch = prefetcher.add(paths, names, previous);
      await(() -> prefetcher.filesRead() >= 2, "the two changed small files read ahead");
      prefetcher.done(batch);
    } finally {
      prefetcher.close();
    }
    await(prefetcher::stopped, "the read-ahead thread ends on close");
    assertEquals(2, prefetcher.filesRead(), "only a-small and h-last: not the unchanged, large, empty or special ones");
  }

  @Test
  void entriesTheArchiverHasPassed_areNotReadAhead() throws Exception {
    List<Path> paths = new ArrayList<>();
    List<byte[]> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Path f = write("f" + i, 1000);
      paths.add(f);
      names.add(name(f));
    }
    Prefetcher prefetcher = new Prefetcher(1);
    try {
      synchronized (prefetcher) { // no thread can take an entry until the archiver has moved on
        Prefetcher.Batch batch = prefetcher.add(paths, names, null);
        batch.reached(2);
      }
      await(() -> prefetcher.filesRead() >= 2, "f3 and f4 read ahead");
    } finally {
      prefetcher.close();
    }
    await(prefetcher::stopped, "the read-ahead thread ends on close");
    assertEquals(2, prefetcher.filesRead(), "f0 to f2 were passed already");
  }

  private Path write(String name, int size) throws Exception {
    return Files.write(dir.resolve(name), new byte[size]);
  }

  private static byte[] name(Path p) {
    return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(10);
    }
  }
}
