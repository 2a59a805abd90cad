package org.selfstorage.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.tree.NativeNames;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.catalog.Source;

/**
 * What a backup of one source takes in: entries its patterns leave out are not even looked at,
 * directories on other file systems (one file system) or marked as caches are recorded empty, and
 * files over the size limit are left out. One place, so that a dry run leaves out exactly what a
 * backup does.
 */
final class Selection {
  /** The first bytes of a CACHEDIR.TAG (bford.info/cachedir): the directory holds a cache. */
  private static final byte[] CACHE_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
      .getBytes(StandardCharsets.US_ASCII);

  private final Path root;
  private final Excludes excludes;
  /** The file system of the source's top when directories on others are left empty; else null. */
  private final Long rootDevice;
  private final boolean excludeCaches;
  /** Files over this many bytes are left out; null: none. */
  private final Long largerThan;

  private Selection(Path root, Excludes excludes, Long rootDevice, boolean excludeCaches, Long largerThan) {
    this.root = root;
    this.excludes = excludes;
    this.rootDevice = rootDevice;
    this.excludeCaches = excludeCaches;
    this.largerThan = largerThan;
  }

  /**
   * The source's selection; refuses a source whose top is not a directory ({@code SOURCE_MISSING},
   * nothing stored). A device that cannot be read adds a warning: nothing is then left out for it.
   */
  static Selection of(Source source, List<String> warnings) {
    Path root = Path.of(source.path());
    if (!Files.isDirectory(root)) {
      throw new AgentException("SOURCE_MISSING", "the source " + source.name() + " points at " + root
          + ", which is not a directory (moved, deleted, or not mounted?); nothing was stored",
          "selfstorage source list");
    }
    Long device = null;
    if (source.oneFileSystem()) {
      try {
        device = (Long) Files.getAttribute(root, "unix:dev");
      } catch (IOException | UnsupportedOperationException e) {
        warnings.add("other file systems are not left out: the device of " + root + " cannot be read (" + e + ")");
      }
    }
    return new Selection(root, Excludes.of(source.excludes()), device, source.excludeCaches(),
        source.excludeLargerThan());
  }

  Path root() {
    return root;
  }

  /** Whether a directory entry is looked at: false when the source's patterns leave it out. */
  boolean lists(Path entry) {
    return excludes.isEmpty() || !excludes.excludes(root.relativize(entry));
  }

  /** A directory's entries that are looked at, with their names, in a tree's order (names as unsigned bytes). */
  record Listing(List<Path> paths, List<byte[]> names) {}

  /**
   * Lists {@code dir}: each entry the source's patterns leave out goes to {@code leftOut} and no
   * further; the others come back in the order a tree keeps them.
   */
  Listing list(Path dir, Consumer<Path> leftOut) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (lists(p)) {
          children.add(p);
        } else {
          leftOut.accept(p);
        }
      }
    }
    List<byte[]> names = new ArrayList<>(children.size());
    for (Path p : children) {
      names.add(NativeNames.nameOf(p));
    }
    Integer[] order = new Integer[children.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names.get(a), names.get(b)));
    List<Path> sortedPaths = new ArrayList<>(order.length);
    List<byte[]> sortedNames = new ArrayList<>(order.length);
    for (int i : order) {
      sortedPaths.add(children.get(i));
      sortedNames.add(names.get(i));
    }
    return new Listing(sortedPaths, sortedNames);
  }

  /** Why a directory is recorded empty: the directory itself, not what it holds. */
  enum Emptied {
    OTHER_FILE_SYSTEM("other-fs"), CACHE("cache");

    /** As a dry run lists it. */
    final String change;

    Emptied(String change) {
      this.change = change;
    }
  }

  /** Why a directory is recorded empty, or null when it is read. */
  Emptied emptied(Node dir, Path path) {
    if (rootDevice != null && dir.device() != rootDevice) {
      return Emptied.OTHER_FILE_SYSTEM;
    }
    if (excludeCaches && isCache(path)) {
      return Emptied.CACHE;
    }
    return null;
  }

  /** Whether a file is left out for its size. */
  boolean tooLarge(Node file) {
    return largerThan != null && file.size() > largerThan;
  }

  /** Whether {@code dir} holds a CACHEDIR.TAG with its signature (a link is not one). */
  private static boolean isCache(Path dir) {
    Path tag = dir.resolve("CACHEDIR.TAG");
    if (!Files.isRegularFile(tag, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (var in = Files.newInputStream(tag, LinkOption.NOFOLLOW_LINKS)) {
      return Arrays.equals(in.readNBytes(CACHE_SIGNATURE.length), CACHE_SIGNATURE);
    } catch (IOException e) {
      return false; // an unreadable tag marks nothing: the directory is backed up as usual
    }
  }
}
