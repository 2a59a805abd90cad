package org.selfstorage.federation;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The calls that make a write survive a power cut: forcing a file's bytes, renaming it into place
 * and forcing the directory's entries. A renamed shard is durable only once the directory holding it is forced,
 * and a directory created for it only once its own parent is. Every shard write path, on the
 * owner's local stores and on a host, goes through one of these, so that a test can record them
 * and keep only what they made durable (docs/faults.md, A3: a simulated power loss).
 */
public interface Durability {

  /** Forces {@code file}'s bytes (written through {@code ch}) to the disk. */
  void forceFile(FileChannel ch, Path file) throws IOException;

  /** Forces a directory's entries to the disk (best effort: some file systems refuse it). */
  void forceDirectory(Path dir);

  /**
   * Renames {@code from} to {@code to} in one step, replacing what {@code to} held; the new name
   * is durable once {@code to}'s directory is forced.
   *
   * @throws java.nio.file.AtomicMoveNotSupportedException across file systems
   */
  default void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** What the operating system offers: fsync on the file, fsync on the directory. */
  static Durability system() {
    return SystemDurability.INSTANCE;
  }

  /** Creates {@code dir} and any missing parents, forcing the parent of each one it creates. */
  default void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createDirectories(parent);
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
      forceDirectory(parent);
    }
  }

  /** The only production implementation. */
  final class SystemDurability implements Durability {
    private static final SystemDurability INSTANCE = new SystemDurability();

    private SystemDurability() {}

    @Override
    public void forceFile(FileChannel ch, Path file) throws IOException {
      ch.force(true);
    }

    @Override
    public void forceDirectory(Path dir) {
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (IOException ignored) {
        // some file systems refuse fsync on a directory; the file data itself was already forced
      }
    }
  }
}
