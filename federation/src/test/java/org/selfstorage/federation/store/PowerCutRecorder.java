package org.selfstorage.federation.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.selfstorage.federation.Durability;

/**
 * A simulated power cut (reliability.md §5.3), since this machine has neither lazyfs nor
 * dm-log-writes. It watches the three durability calls made under some root directories and, when
 * asked to {@link #materialise}, rewrites those trees to exactly what the calls made before the
 * cut guarantee:
 *
 * <ul>
 *   <li>a file's bytes are what they were at its last {@code forceFile}; a file never forced is
 *       left empty or torn (a random prefix), as a disk may leave it;
 *   <li>a directory holds the entries it had at its last {@code forceDirectory}; each change made
 *       since (an entry added, removed, or replaced by a rename) is kept or undone at random, as
 *       it may or may not have reached the disk. So a rename whose directory was not forced may be
 *       rolled back, and a directory whose parent was not forced may vanish with all it holds.
 * </ul>
 *
 * The call numbered {@code cutAt} (counting from 0) and every call after it fail: the power is off,
 * nothing more reaches the disk, and the writer cannot acknowledge anything that depends on it.
 * What existed when the recording began counts as durable. Files are followed by path, and a
 * rename through {@link #move} carries a file's identity to its new name, so a name reused after a
 * deletion is never confused with the file it replaced.
 */
public final class PowerCutRecorder implements Durability {

  /** What the writer sees once the power is off. */
  public static final class PowerCut extends IOException {
    PowerCut() {
      super("power cut (simulated)");
    }
  }

  private record Entry(boolean directory, long file) {}

  private final List<Path> roots;
  private final long cutAt;
  private final Random random;
  private final Map<Path, Long> identities = new HashMap<>();
  private final Map<Long, byte[]> forced = new HashMap<>();
  private final Map<Path, Map<String, Entry>> listings = new HashMap<>();
  private long nextIdentity;
  private long calls;
  private volatile boolean cut;
  private Map<Path, Map<String, Entry>> atCut;

  /** Starts recording: what the trees under {@code roots} hold now is taken as durable. */
  public PowerCutRecorder(long cutAt, Random random, Path... roots) throws IOException {
    this.cutAt = cutAt;
    this.random = random;
    this.roots = Stream.of(roots).map(r -> r.toAbsolutePath().normalize()).toList();
    for (Path root : this.roots) {
      baseline(root);
    }
  }

  private void baseline(Path dir) throws IOException {
    snapshotListing(dir);
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : (Iterable<Path>) children::iterator) {
        if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
          baseline(c);
        } else if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
          forced.put(identity(c), Files.readAllBytes(c));
        }
      }
    }
  }

  /** Whether the power is off: a put that returned before this turned true was acknowledged in time. */
  public boolean isCut() {
    return cut;
  }

  /** Durability calls seen before the cut (all of them, if it never came). */
  public synchronized long calls() {
    return calls;
  }

  private void tick() throws PowerCut {
    if (!cut && calls >= cutAt) {
      atCut = pageCache();
      cut = true;
    }
    if (cut) {
      throw new PowerCut();
    }
    calls++;
  }

  /**
   * What the writers had written when the power went, durable or not: later changes (a server
   * tidying up after failed writes, say) never reached any disk.
   */
  private Map<Path, Map<String, Entry>> pageCache() {
    Map<Path, Map<String, Entry>> all = new HashMap<>();
    try {
      for (Path root : roots) {
        pageCache(root, all);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the test cannot see its own files", e);
    }
    return all;
  }

  private void pageCache(Path dir, Map<Path, Map<String, Entry>> all) throws IOException {
    Map<String, Entry> entries = listing(dir);
    all.put(dir, entries);
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (e.getValue().directory()) {
        pageCache(dir.resolve(e.getKey()), all);
      }
    }
  }

  private boolean watched(Path p) {
    Path n = p.toAbsolutePath().normalize();
    return roots.stream().anyMatch(n::startsWith);
  }

  private long identity(Path file) {
    return identities.computeIfAbsent(file.toAbsolutePath().normalize(), f -> nextIdentity++);
  }

  @Override
  public synchronized void forceFile(FileChannel ch, Path file) throws IOException {
    tick();
    if (watched(file)) {
      forced.put(identity(file), Files.readAllBytes(file));
    }
  }

  @Override
  public synchronized void move(Path from, Path to) throws IOException {
    tick();
    Durability.super.move(from, to);
    Long id = identities.remove(from.toAbsolutePath().normalize());
    Path target = to.toAbsolutePath().normalize();
    if (id != null) {
      identities.put(target, id);
    } else {
      identities.remove(target); // a file we never saw: a new identity when it is next looked at
    }
  }

  @Override
  public synchronized void forceDirectory(Path dir) {
    try {
      tick();
      if (watched(dir)) {
        snapshotListing(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void snapshotListing(Path dir) throws IOException {
    listings.put(dir.toAbsolutePath().normalize(), listing(dir));
  }

  private Map<String, Entry> listing(Path dir) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : (Iterable<Path>) children::iterator) {
        if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(c.getFileName().toString(), new Entry(true, -1));
        } else if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(c.getFileName().toString(), new Entry(false, identity(c)));
        }
      }
    } catch (java.nio.file.NoSuchFileException | UncheckedIOException e) {
      // removed while we looked (a writer still running): as good as empty
    }
    return entries;
  }

  /**
   * The durable entries of {@code dir}; an entry changed since the directory was last forced
   * (added, removed or replaced by a rename) may or may not have reached the disk, so each such
   * change is kept or undone at random.
   */
  private void collect(Path dir, Map<Long, Path> current, Map<Path, byte[]> out, List<Path> torn)
      throws IOException {
    out.put(dir, null);
    Map<String, Entry> durable = listings.getOrDefault(dir, Map.of());
    Map<String, Entry> now = atCut.getOrDefault(dir, Map.of());
    java.util.TreeSet<String> names = new java.util.TreeSet<>(durable.keySet());
    names.addAll(now.keySet());
    for (String name : names) {
      Entry d = durable.get(name);
      Entry n = now.get(name);
      Entry e = d == null ? (random.nextBoolean() ? n : null) : (n != null && !n.equals(d) && random.nextBoolean() ? n : d);
      if (d != null && n == null && random.nextBoolean()) {
        e = null; // a removal that reached the disk
      }
      if (e == null) {
        continue;
      }
      Path p = dir.resolve(name);
      if (e.directory()) {
        collect(p, current, out, torn);
      } else {
        byte[] bytes = forced.get(e.file());
        if (bytes == null) {
          torn.add(p);
          bytes = torn(current.get(e.file()));
        }
        out.put(p, bytes);
      }
    }
  }

  /** Never forced: empty, or a random prefix of what was written. */
  private byte[] torn(Path now) throws IOException {
    if (now == null || !Files.isRegularFile(now, LinkOption.NOFOLLOW_LINKS) || random.nextBoolean()) {
      return new byte[0];
    }
    byte[] all = Files.readAllBytes(now);
    return java.util.Arrays.copyOf(all, all.length == 0 ? 0 : random.nextInt(all.length));
  }

  /**
   * Cuts the power (if the cut point has not come yet) and rewrites the watched trees to the
   * durable state. The writers must have stopped. Returns the files that were left torn or empty
   * though they were never forced, for the test to expect as leftovers.
   */
  public synchronized List<Path> materialise() throws IOException {
    if (!cut) {
      atCut = pageCache();
      cut = true;
    }
    Map<Long, Path> current = new HashMap<>();
    identities.forEach((p, id) -> current.put(id, p));
    Map<Path, byte[]> state = new LinkedHashMap<>();
    List<Path> torn = new ArrayList<>();
    for (Path root : roots) {
      collect(root.toAbsolutePath().normalize(), current, state, torn);
    }
    for (Path root : roots) {
      try (Stream<Path> all = Files.walk(root)) {
        List<Path> paths = all.sorted(java.util.Comparator.reverseOrder()).toList();
        for (Path p : paths) {
          if (!p.equals(root)) {
            Files.delete(p);
          }
        }
      }
    }
    for (Map.Entry<Path, byte[]> e : state.entrySet()) {
      if (e.getValue() == null) {
        Files.createDirectories(e.getKey());
      } else {
        Files.write(e.getKey(), e.getValue());
      }
    }
    return torn;
  }
}
