package org.selfstorage.federation.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary files a crash or power cut left behind: writes that were never renamed to their
 * shard name, so nobody was ever told they were stored. Both a local store's {@code tmp/} and a
 * partner's {@code incoming/} on its host hold only such files between runs.
 */
public final class Leftovers {
  private Leftovers() {}

  /**
   * Removes the regular files directly in {@code dir} (nothing else: a link or directory there was
   * not written by us) and names each as {@code label/NAME (N bytes)}. A missing directory holds
   * none. Removals are not forced to disk: a leftover that comes back after a crash is removed the
   * next time.
   */
  public static List<String> remove(Path dir, String label) throws IOException {
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          long size = Files.size(f);
          Files.deleteIfExists(f);
          removed.add(label + "/" + f.getFileName() + " (" + size + " bytes)");
        }
      }
    } catch (NoSuchFileException e) {
      // nothing was ever written here
    }
    return removed;
  }
}
