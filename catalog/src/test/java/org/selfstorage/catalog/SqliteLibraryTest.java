package org.selfstorage.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteLibraryTest {
  @TempDir Path dir;
  private String path;
  private String name;

  // the properties steer how this JVM loads the driver: leave them as they were
  @BeforeEach
  void saveProperties() {
    path = System.getProperty("org.sqlite.lib.path");
    name = System.getProperty("org.sqlite.lib.name");
  }

  @AfterEach
  void restoreProperties() {
    restore("org.sqlite.lib.path", path);
    restore("org.sqlite.lib.name", name);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static byte[] library() throws Exception {
    try (InputStream in = SqliteLibrary.class.getResourceAsStream(
        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
      assertNotNull(in, "the driver's jar holds a library for this platform");
      return in.readAllBytes();
    }
  }

  @Test
  void copiesTheDriversLibraryOnce_andPointsTheDriverAtIt() throws Exception {
    Path copy = SqliteLibrary.useCopyIn(dir.resolve("cache"));
    assertNotNull(copy);
    assertArrayEquals(library(), Files.readAllBytes(copy));
    assertEquals(copy.getParent().toString(), System.getProperty("org.sqlite.lib.path"));
    assertEquals(copy.getFileName().toString(), System.getProperty("org.sqlite.lib.name"));

    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(copy, old);
    assertEquals(copy, SqliteLibrary.useCopyIn(dir.resolve("cache")));
    assertEquals(old, Files.getLastModifiedTime(copy), "an existing copy is used as it is");
  }

  @Test
  void processesStartingTogether_allEndWithAWholeCopy_andNoScraps() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Path>> copies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        copies.add(pool.submit(() -> SqliteLibrary.useCopyIn(dir.resolve("cache"))));
      }
      byte[] expected = library();
      for (Future<Path> f : copies) {
        assertArrayEquals(expected, Files.readAllBytes(f.get()));
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      assertEquals(1, files.count(), "only the copy is left");
    }
  }

  @Test
  void aCacheThatCannotBeWritten_leavesTheDriverToItsOwnWay() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    System.clearProperty("org.sqlite.lib.path");
    System.clearProperty("org.sqlite.lib.name");
    assertNull(SqliteLibrary.useCopyIn(file.resolve("cache")));
    assertNull(System.getProperty("org.sqlite.lib.path"));
    assertNull(System.getProperty("org.sqlite.lib.name"));
  }
}
