package org.selfstorage.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Lets the SQLite driver load its native library from one copy per driver version in the user's
 * cache directory, instead of extracting it to a new randomly named file in {@code /tmp} for every
 * process. The driver deletes its extracted copy when the JVM exits normally, but a process that is
 * killed leaves 1.1 MB behind for good (the driver's own cleanup skips files whose lock file is
 * left too), and each command would write and read that megabyte again.
 *
 * <p>Only a hint: when the cache cannot be written or its copy cannot be loaded, the driver falls
 * back to extracting as before.
 */
final class SqliteLibrary {
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";

  private SqliteLibrary() {}

  /** Points the driver at the cached copy, making it first if needed; call before the first connection. */
  static void useCachedCopy() {
    if (System.getProperty(PATH_PROPERTY) != null) {
      return; // already done in this process, or chosen by whoever started it
    }
    Path dir = cacheDir();
    if (dir != null) {
      useCopyIn(dir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()));
    }
  }

  /** As {@link #useCachedCopy()}, in {@code dir}; for tests. Returns the copy, or null when it cannot be made. */
  static Path useCopyIn(Path dir) {
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    // the resource path names the platform (Linux/x86_64, Linux-Musl/aarch64, ...): one copy each
    Path copy = dir.resolve(resource.replaceFirst("^/", "").replace('/', '_'));
    try {
      if (!Files.isRegularFile(copy)) {
        try (InputStream in = SqliteLibrary.class.getResourceAsStream(resource)) {
          if (in == null) {
            return null; // no library for this platform in the jar: the driver says so itself
          }
          Files.createDirectories(dir);
          // written under a name of its own and renamed: processes starting together never load half a file
          Path part = Files.createTempFile(dir, "part-", ".tmp");
          try {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(part);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    System.setProperty(PATH_PROPERTY, copy.getParent().toString());
    System.setProperty(NAME_PROPERTY, copy.getFileName().toString());
    return copy;
  }

  /** {@code $XDG_CACHE_HOME/selfstorage}, else {@code ~/.cache/selfstorage}; null without either. */
  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "selfstorage");
    }
    String home = System.getProperty("user.home");
    return home == null || home.isEmpty() || home.equals("?") ? null : Path.of(home, ".cache", "selfstorage");
  }
}
