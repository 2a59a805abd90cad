package org.selfstorage.federation.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Directory entries that survive a power cut. A renamed shard is durable only once the directory
 * holding it is forced, and a directory created for it only once its own parent is: without the
 * second, a power cut right after the first shard of a new {@code shards/ab/} could lose the
 * whole directory, shard and all, on file systems that do not order metadata for us.
 */
public final class DurableDirectories {
  private DurableDirectories() {}

  /** Creates {@code dir} and any missing parents, forcing the parent of each one it creates. */
  public static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      create(parent);
    }
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      return; // created meanwhile by another writer, which forces the parent itself
    }
    if (parent != null) {
      force(parent);
    }
  }

  /** Forces a directory's entries to disk (best effort: some file systems refuse it). */
  public static void force(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some file systems refuse fsync on a directory; the file data itself was already forced
    }
  }
}
