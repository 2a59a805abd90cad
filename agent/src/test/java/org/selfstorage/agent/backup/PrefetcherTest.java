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
  /** Reads ahead only within the directories handed over. */
  private static final Prefetcher.Lister NOT_LISTING = (node, path) -> null;

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
    Prefetcher prefetcher = new Prefetcher(1, NOT_LISTING); // one thread takes entries in order: "last" is read last
    try {
      Prefetcher.Batch batch = prefetcher.add(dir, paths, names, previous);
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
    Prefetcher prefetcher = new Prefetcher(1, NOT_LISTING);
    try {
      synchronized (prefetcher) { // no thread can take an entry until the archiver has moved on
        Prefetcher.Batch batch = prefetcher.add(dir, paths, names, null);
        batch.reached(2);
      }
      await(() -> prefetcher.filesRead() >= 2, "f3 and f4 read ahead");
    } finally {
      prefetcher.close();
    }
    await(prefetcher::stopped, "the read-ahead thread ends on close");
    assertEquals(2, prefetcher.filesRead(), "f0 to f2 were passed already");
  }

  @Test
  void newDirectoriesAreListedAndReadAhead_andTheArchiverTakesTheirBatchOver() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("a-new"));
    Path inner = Files.write(sub.resolve("inner"), new byte[1000]);
    Path deeper = Files.createDirectory(sub.resolve("deeper"));
    Files.write(deeper.resolve("deepest"), new byte[1000]);
    Path old = Files.createDirectory(dir.resolve("b-old"));
    Files.write(old.resolve("unseen"), new byte[1000]);
    Path top = write("c-top", 1000);
    // b-old has a subtree in the previous snapshot: the archiver will compare against it, so the
    // read-ahead must not descend there (it would read files that may be unchanged)
    Tree previous = new Tree(List.of(FileScanner.scan(old, name(old)).withSubtree(
        new org.selfstorage.catalog.BlobId(new byte[32]))));
    List<Path> listed = new ArrayList<>();
    Prefetcher prefetcher = new Prefetcher(1, listingInto(listed));
    try {
      List<Path> paths = List.of(sub, old, top);
      List<byte[]> names = new ArrayList<>();
      paths.forEach(x -> names.add(name(x)));
      Prefetcher.Batch root = prefetcher.add(dir, paths, names, previous);
      await(() -> prefetcher.filesRead() >= 3, "inner, deepest and c-top read ahead");
      synchronized (listed) {
        assertEquals(List.of(sub, deeper), listed, "only the new directories are listed ahead, depth first");
      }
      root.reached(0);
      List<Path> subPaths = List.of(deeper, inner);
      List<byte[]> subNames = List.of(name(deeper), name(inner));
      synchronized (prefetcher) { // no thread can take from a new batch before it is looked at
        Prefetcher.Batch taken = prefetcher.add(sub, subPaths, subNames, null);
        assertEquals(0, prefetcher.pending(taken), "the batch listed and read ahead, not a new one to read again");
        assertEquals(java.util.Set.of(), prefetcher.listedFrom(root),
            "taken over: the root's batch no longer holds it (nor, through it, all it listed) until the end");
        prefetcher.done(taken);
      }
      prefetcher.done(root);
    } finally {
      prefetcher.close();
    }
    await(prefetcher::stopped, "the read-ahead thread ends on close");
    assertEquals(3, prefetcher.filesRead(), "nothing in b-old");
  }

  @Test
  void readingAheadStopsAtItsBound_untilTheArchiverPassesWhatWasRead() throws Exception {
    int count = (int) (Prefetcher.AHEAD_BYTES / Prefetcher.LARGEST) + 4;
    List<Path> paths = new ArrayList<>();
    List<byte[]> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path f = write(String.format("f%03d", i), (int) Prefetcher.LARGEST);
      paths.add(f);
      names.add(name(f));
    }
    Prefetcher prefetcher = new Prefetcher(2, NOT_LISTING);
    try {
      Prefetcher.Batch batch = prefetcher.add(dir, paths, names, null);
      long bound = Prefetcher.AHEAD_BYTES / Prefetcher.LARGEST;
      await(() -> prefetcher.filesRead() >= bound, "reads up to the bound");
      long deadline = System.nanoTime() + 300_000_000L;
      while (System.nanoTime() < deadline) { // a bounded look for reads past the bound, not a sync
        assertTrue(prefetcher.filesRead() <= bound + 1, "read " + prefetcher.filesRead() + " ahead, bound " + bound);
        Thread.onSpinWait();
      }
      batch.reached(count - 5);
      await(() -> prefetcher.filesRead() == count, "the rest once the archiver moved on");
      prefetcher.done(batch);
    } finally {
      prefetcher.close();
    }
  }

  @Test
  void aDirectoryThatChangedSinceItWasListedAhead_getsABatchOfItsOwn() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path f1 = Files.write(sub.resolve("f1"), new byte[100]);
    Prefetcher prefetcher = new Prefetcher(1, listingInto(new ArrayList<>()));
    try {
      Prefetcher.Batch root = prefetcher.add(dir, List.of(sub), List.of(name(sub)), null);
      await(() -> prefetcher.filesRead() >= 1, "sub listed and f1 read ahead");
      Path f2 = Files.write(sub.resolve("f2"), new byte[100]); // after sub was listed
      synchronized (prefetcher) {
        Prefetcher.Batch taken = prefetcher.add(sub, List.of(f1, f2), List.of(name(f1), name(f2)), null);
        assertEquals(2, prefetcher.pending(taken), "a new batch: the one listed ahead no longer lines up");
        assertEquals(java.util.Set.of(), prefetcher.listedFrom(root), "nor is the old one kept");
        prefetcher.done(taken);
      }
      prefetcher.done(root);
    } finally {
      prefetcher.close();
    }
  }

  /** Lists directories in name order, noting each one listed. */
  private static Prefetcher.Lister listingInto(List<Path> listed) {
    return (node, path) -> {
      synchronized (listed) {
        listed.add(path);
      }
      List<Path> paths = new ArrayList<>();
      try (var s = Files.list(path)) {
        s.sorted().forEach(paths::add);
      }
      List<byte[]> names = new ArrayList<>();
      paths.forEach(x -> names.add(name(x)));
      return new Selection.Listing(paths, names);
    };
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
