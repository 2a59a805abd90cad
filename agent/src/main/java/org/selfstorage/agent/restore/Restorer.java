package org.selfstorage.agent.restore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.backup.Excludes;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.RestoreResult;
import org.selfstorage.agent.pack.BlobSealer;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.PackFetcher;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.repo.TreeLoader;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.NativeNames;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Snapshot;

/**
 * Restores a snapshot (or the parts of it named by includes) into a target directory. It plans
 * first: directories, files with their chunks, links and special files. Then it reads each needed
 * pack once and writes every chunk it holds at its offsets, leaving zero runs as holes. A file is
 * created at its first write and gets its metadata after its last, on the threads that write
 * content, so creating twenty thousand small files does not run alone before the content or after
 * it. Directories get their metadata last, deepest first, so writing children does not disturb
 * their mtimes.
 */
public final class Restorer {
  private record Target(ContentFile file, long offset) {}

  private record PlannedFile(Path path, Node node) {}

  /** A regular file to restore, and how many of its chunk writes are still to come. */
  private final class ContentFile {
    final Path path;
    final Node node;
    final AtomicInteger pending = new AtomicInteger();
    private boolean created; // guarded by this
    private boolean failed; // guarded by this
    private volatile boolean finished;

    ContentFile(Path path, Node node) {
      this.path = path;
      this.node = node;
    }

    /**
     * Opens the file for writing. The first call creates it as a hole of its full size (zero runs
     * stay holes); null when that failed, which was reported once.
     */
    FileChannel open() throws IOException {
      synchronized (this) {
        if (!created) {
          return create();
        }
        if (failed) {
          return null;
        }
      }
      return FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /** Creates the file as a hole of its full size: its open channel, or null when that failed (reported). */
    private FileChannel create() {
      assert Thread.holdsLock(this);
      created = true;
      FileChannel ch = createSparse(path, node.size());
      failed = ch == null;
      return ch;
    }

    /** Creates the file if no write did, and sets its metadata; once. */
    void finish() {
      if (finished) {
        return;
      }
      finished = true;
      FileChannel ch;
      synchronized (this) {
        ch = created ? null : create(); // a file some write created needs no second open
      }
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          problems.add(path + ": cannot create file (" + e.getMessage() + ")");
        }
      }
      applyMetadata(path, node);
    }
  }

  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Clock clock;
  private final Progress.Listener listener;
  private final TreeLoader trees;
  private final boolean root = "root".equals(System.getProperty("user.name"));

  private final List<PlannedFile> dirs = new ArrayList<>();
  private final List<ContentFile> files = new ArrayList<>();
  private final List<PlannedFile> others = new ArrayList<>();
  private final List<PlannedFile[]> links = new ArrayList<>();
  private final Map<String, Path> firstOfLink = new HashMap<>();
  private final Map<BlobId, List<Target>> targets = new LinkedHashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong bytesWritten = new AtomicLong();
  private long totalBytes;
  /** The restore's top directory, whose name commands can take (see {@link #scratchName}). */
  private Path base;

  public Restorer(Catalog catalog, Keys keys, StoreSet stores, Clock clock, Progress.Listener listener) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.clock = clock;
    this.listener = listener;
    this.trees = new TreeLoader(catalog, keys, stores);
  }

  private Excludes excludes = Excludes.NONE;

  public RestoreResult restore(Snapshot snapshot, Path target, List<String> includes) throws InterruptedException {
    return restore(snapshot, target, includes, Excludes.NONE);
  }

  /** As above, leaving out what {@code excludes} match (a directory with all it holds). */
  public RestoreResult restore(Snapshot snapshot, Path target, List<String> includes, Excludes excludes)
      throws InterruptedException {
    this.excludes = excludes;
    Instant started = clock.instant();
    Path base = target.toAbsolutePath().normalize();
    this.base = base;
    List<String[]> inc = new ArrayList<>();
    for (String i : includes) {
      String trimmed = i.replaceAll("^/+|/+$", "");
      inc.add(trimmed.isEmpty() ? new String[0] : trimmed.split("/+"));
    }
    try {
      Files.createDirectories(base);
    } catch (IOException e) {
      throw new AgentException("RESTORE_TARGET", "cannot create the target directory " + base + ": " + e.getMessage(),
          "choose another --target");
    }
    plan(trees.load(snapshot.rootTree()), base, new ArrayList<>(), inc);
    if (!inc.isEmpty() && files.isEmpty() && dirs.isEmpty() && others.isEmpty() && links.isEmpty()) {
      throw new AgentException("NOTHING_MATCHED", "no entry of snapshot " + snapshot.id().shortHex()
          + " matches " + String.join(", ", includes), "selfstorage ls " + snapshot.id().shortHex());
    }
    for (PlannedFile d : dirs) {
      mkdirs(d.path());
    }
    long packsRead = writeContent();
    for (ContentFile f : files) {
      f.finish(); // those with no data chunks, and any whose content failed
    }
    for (PlannedFile[] l : links) {
      link(l[0], l[1]);
    }
    for (PlannedFile o : others) {
      createSpecial(o);
    }
    for (PlannedFile[] l : links) {
      applyMetadata(l[0].path(), l[0].node());
    }
    for (PlannedFile o : others) {
      applyMetadata(o.path(), o.node());
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      applyMetadata(dirs.get(i).path(), dirs.get(i).node());
    }
    listener.onProgress(new Progress("restore", files.size(), bytesWritten.get(), totalBytes, 0, ""));
    return new RestoreResult(snapshot.id().hex(), base.toString(), files.size() + links.size(), dirs.size(),
        totalBytes, packsRead, Duration.between(started, clock.instant()), List.copyOf(problems), List.copyOf(warnings));
  }

  /** Walks the tree, deciding what to create; only entries under an include (or their parents). */
  private void plan(Tree tree, Path dir, List<String> rel, List<String[]> includes) {
    for (Node n : tree.nodes()) {
      String name = n.nameString();
      if (!isSafeName(n.name())) {
        problems.add(String.join("/", rel) + "/" + name + ": refused an unsafe name in the snapshot");
        continue;
      }
      List<String> childRel = new ArrayList<>(rel);
      childRel.add(name);
      if (!excludes.isEmpty() && excludes.excludes(Path.of(String.join("/", childRel)))) {
        continue;
      }
      Match m = match(childRel, includes);
      if (m == Match.NO) {
        continue;
      }
      Path path = NativeNames.resolve(dir, n.name());
      switch (n.type()) {
        case DIR -> {
          if (m == Match.INSIDE) {
            dirs.add(new PlannedFile(path, n));
          } else {
            dirs.add(new PlannedFile(path, null)); // a parent of an include: created, metadata untouched
          }
          if (n.subtree() != null) {
            plan(trees.load(n.subtree()), path, childRel, m == Match.INSIDE ? List.of() : includes);
          }
        }
        case FILE -> {
          if (m != Match.INSIDE) {
            continue;
          }
          // the chunk list lives on in `targets`; the plan keeps only the metadata, since it holds
          // every file of the snapshot at once
          ContentFile f = new ContentFile(path, withoutContent(n));
          if (n.incomplete() != null) {
            warnings.add(String.join("/", childRel) + ": was not stored consistently at backup time (" + n.incomplete()
                + "); restored as read");
          }
          String key = n.isHardLinked() ? n.device() + ":" + n.inode() : null;
          if (key != null && firstOfLink.containsKey(key)) {
            links.add(new PlannedFile[] {new PlannedFile(path, f.node), new PlannedFile(firstOfLink.get(key), null)});
            continue;
          }
          if (key != null) {
            firstOfLink.put(key, path);
          }
          files.add(f);
          long offset = 0;
          for (ChunkRef c : n.content()) {
            if (!c.isZeros()) {
              targets.computeIfAbsent(c.blob(), b -> new ArrayList<>()).add(new Target(f, offset));
              f.pending.incrementAndGet();
            }
            offset += c.length();
          }
          totalBytes += offset;
        }
        default -> {
          if (m == Match.INSIDE) {
            others.add(new PlannedFile(path, n));
          }
        }
      }
    }
  }

  private static Node withoutContent(Node n) {
    return new Node(n.name(), n.type(), n.mode(), n.uid(), n.gid(), n.mtimeSeconds(), n.mtimeNanos(), n.ctimeSeconds(),
        n.ctimeNanos(), n.inode(), n.device(), n.links(), n.size(), n.rdev(), n.linkTarget(), null, List.of(),
        n.incomplete());
  }

  private enum Match { NO, PARENT, INSIDE }

  private static Match match(List<String> rel, List<String[]> includes) {
    if (includes.isEmpty()) {
      return Match.INSIDE;
    }
    boolean parent = false;
    for (String[] inc : includes) {
      int common = Math.min(inc.length, rel.size());
      boolean prefix = true;
      for (int i = 0; i < common && prefix; i++) {
        prefix = inc[i].equals(rel.get(i));
      }
      if (!prefix) {
        continue;
      }
      if (rel.size() >= inc.length) {
        return Match.INSIDE;
      }
      parent = true;
    }
    return parent ? Match.PARENT : Match.NO;
  }

  static boolean isSafeName(byte[] name) {
    if (name.length == 0 || (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
      return false;
    }
    for (byte b : name) {
      if (b == '/' || b == 0) {
        return false;
      }
    }
    return true;
  }

  private void mkdirs(Path dir) {
    try {
      if (Files.isSymbolicLink(dir)) {
        Files.delete(dir);
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      problems.add(dir + ": cannot create directory (" + e.getMessage() + ")");
    }
  }

  /** A new file of {@code size} bytes, all hole, open for writing; null (reported) when it cannot be made. */
  private FileChannel createSparse(Path path, long size) {
    try {
      Files.deleteIfExists(path); // never write through a link that is already there
      if (!NativeNames.nameableAsString(path)) {
        // java.io.File takes the name as a string, which cannot hold this one: extend the file by
        // writing its last byte instead of setting its length (the last block is then allocated)
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          if (size > 0) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
          }
          return ch;
        } catch (IOException e) {
          ch.close(); // as the file below: a full disk must not leave the descriptor open
          throw e;
        }
      }
      RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
      try {
        raf.setLength(size);
        return raf.getChannel(); // closing the channel closes the file
      } catch (IOException e) {
        raf.close();
        throw e;
      }
    } catch (IOException e) {
      problems.add(path + ": cannot create file (" + e.getMessage() + ")");
      return null;
    }
  }

  /** Reads each needed pack once and writes its blobs to every place they belong. */
  private long writeContent() throws InterruptedException {
    Map<PackId, List<BlobEntry>> byPack = new LinkedHashMap<>();
    for (BlobId blob : targets.keySet()) {
      BlobEntry e = catalog.blobs().get(blob).orElse(null);
      if (e == null) {
        for (Target t : targets.get(blob)) {
          problems.add(t.file().path + ": data blob " + blob.shortHex() + " is missing from the catalog");
        }
        continue;
      }
      byPack.computeIfAbsent(e.packId(), p -> new ArrayList<>()).add(e);
    }
    // two packs at a time, each reading its k shards at once: on partners, the round trips overlap
    ExecutorService shardReads = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "selfstorage-restore-read");
      t.setDaemon(true);
      return t;
    });
    PackFetcher fetcher = new PackFetcher(catalog, keys, stores, shardReads);
    BlobSealer sealer = new BlobSealer(keys.blob(), 1);
    // one pack and one blob's buffers per restore thread, reused: a restore allocating ~4 times the
    // data it restores kept the collector busy and the heap at its limit
    BufferPool packBuffers = new BufferPool(2);
    List<BlobSealer.Scratch> scratches = Collections.synchronizedList(new ArrayList<>());
    ThreadLocal<BlobSealer.Scratch> scratch = ThreadLocal.withInitial(() -> {
      BlobSealer.Scratch s = new BlobSealer.Scratch();
      scratches.add(s);
      return s;
    });
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "selfstorage-restore");
      t.setDaemon(true);
      return t;
    });
    AtomicLong packsDone = new AtomicLong();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (var entry : byPack.entrySet()) {
        futures.add(pool.submit(() -> {
          restorePack(entry.getKey(), entry.getValue(), fetcher, sealer, packBuffers, scratch.get());
          packsDone.incrementAndGet();
          listener.onProgress(new Progress("restore", packsDone.get(), bytesWritten.get(), totalBytes, 0, ""));
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
      shardReads.shutdownNow();
      try {
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES); // before the zstd contexts go
      } finally {
        scratches.forEach(BlobSealer.Scratch::close);
      }
    }
    return byPack.size();
  }

  private void restorePack(PackId id, List<BlobEntry> blobs, PackFetcher fetcher, BlobSealer sealer,
      BufferPool packBuffers, BlobSealer.Scratch scratch) {
    Pack pack = catalog.packs().get(id).orElse(null);
    PackFetcher.ProblemListener warn = p -> warnings.add("shard " + p.index() + " of pack " + p.pack().id().shortHex()
        + " on " + p.store() + " was not usable (" + p.problem() + "); used the other shards");
    List<BlobEntry> failed = new ArrayList<>();
    try {
      if (pack == null) {
        throw new AgentException("PACK_MISSING", "pack " + id.shortHex() + " is not in the catalog", "selfstorage check");
      }
      // Every blob is authenticated on its own, so the shard bodies need no hashing first; only
      // when a blob fails is the pack read again with every shard verified, which finds the bad
      // shard and rebuilds its part from parity.
      byte[] bytes = fetcher.fetch(pack, warn, false, packBuffers);
      try {
        writeBlobs(bytes, blobs, sealer, scratch, failed, false);
      } finally {
        packBuffers.give(bytes);
      }
      if (!failed.isEmpty()) {
        List<BlobEntry> retry = List.copyOf(failed);
        failed.clear();
        bytes = fetcher.fetch(pack, warn, true, packBuffers);
        try {
          writeBlobs(bytes, retry, sealer, scratch, failed, true);
        } finally {
          packBuffers.give(bytes);
        }
      }
    } catch (AgentException e) {
      for (BlobEntry b : blobs) {
        for (Target t : targets.get(b.id())) {
          problems.add(t.file().path + ": " + e.getMessage());
        }
      }
    }
  }

  private void writeBlobs(byte[] bytes, List<BlobEntry> blobs, BlobSealer sealer, BlobSealer.Scratch scratch,
      List<BlobEntry> failed, boolean last) {
    for (BlobEntry b : blobs) {
      ByteBuffer plain;
      try {
        plain = sealer.openView(b.id(), bytes, b.offset(), b.length(), b.rawLength(), scratch);
      } catch (RuntimeException e) {
        failed.add(b);
        if (last) {
          for (Target t : targets.get(b.id())) {
            problems.add(t.file().path + ": a chunk failed verification (" + e.getMessage() + ")");
          }
        }
        continue;
      }
      for (Target t : targets.get(b.id())) {
        write(t, plain);
      }
    }
  }

  private void write(Target t, ByteBuffer plain) {
    ContentFile f = t.file();
    try (FileChannel ch = f.open()) {
      if (ch != null) {
        ByteBuffer buf = plain.duplicate();
        long pos = t.offset();
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
        bytesWritten.addAndGet(plain.remaining());
      }
    } catch (IOException e) {
      problems.add(f.path + ": write failed (" + e.getMessage() + ")");
    }
    if (f.pending.decrementAndGet() == 0) {
      f.finish();
    }
  }

  private void link(PlannedFile link, PlannedFile existing) {
    try {
      Files.deleteIfExists(link.path());
      Files.createLink(link.path(), existing.path());
    } catch (IOException e) {
      problems.add(link.path() + ": cannot create hard link (" + e.getMessage() + ")");
    }
  }

  private void createSpecial(PlannedFile o) {
    Node n = o.node();
    Path p = o.path();
    // mkfifo and mknod take the name as a string, which cannot hold every name: such an entry is
    // made under a plain name in the restore's top directory and renamed into place
    Path made = n.type() == NodeType.SYMLINK || NativeNames.nameableAsString(p) ? p : scratchName();
    try {
      Files.deleteIfExists(p);
      switch (n.type()) {
        case SYMLINK -> Files.createSymbolicLink(p, NativeNames.targetPath(n.linkTarget()));
        case FIFO -> run("mkfifo", made.toString());
        case CHAR_DEVICE, BLOCK_DEVICE -> {
          if (!root) {
            warnings.add(p + ": device files can only be recreated by root; skipped");
            return;
          }
          long major = (n.rdev() >>> 8) & 0xfff | ((n.rdev() >>> 32) & ~0xfffL);
          long minor = (n.rdev() & 0xff) | ((n.rdev() >>> 12) & ~0xffL);
          run("mknod", made.toString(), n.type() == NodeType.CHAR_DEVICE ? "c" : "b", Long.toString(major),
              Long.toString(minor));
        }
        case SOCKET -> warnings.add(p + ": sockets are recorded but not recreated (they belong to a running program)");
        default -> throw new IllegalStateException(n.type().toString());
      }
      if (made != p && Files.exists(made, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(made, p);
      }
    } catch (FileAlreadyExistsException e) {
      problems.add(p + ": exists and could not be replaced");
    } catch (IOException | InterruptedException e) {
      problems.add(p + ": cannot create " + n.type().name().toLowerCase() + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Sets a symlink's own time through the JDK, which does it by path (utimensat) without a process
   * per link (two processes per link were 0.2-0.4 s of a restore of 13 links); false when this JDK
   * could not, or only to the microsecond (older JDKs use lutimes), so that touch does it instead.
   */
  private static boolean linkTimeSet(Path p, FileTime mtime) {
    try {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).equals(mtime);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.trim());
    }
  }

  private void applyMetadata(Path p, Node n) {
    if (n == null) {
      return;
    }
    boolean plain = n.type() == NodeType.FILE || n.type() == NodeType.DIR;
    if (plain || NativeNames.nameableAsString(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      setMetadata(p, n);
      return;
    }
    // links and special files get theirs from commands (chown, chmod, touch), which take the name as
    // a string: under a plain name in the restore's top directory, then renamed back
    Path at = scratchName();
    try {
      Files.move(p, at);
    } catch (IOException e) {
      warnings.add(p + ": owner, permissions and time not restored (" + e.getMessage() + ")");
      return;
    }
    try {
      setMetadata(at, n);
    } finally {
      try {
        Files.move(at, p);
      } catch (IOException e) {
        problems.add(p + ": left as " + at + " after setting its metadata (" + e.getMessage() + ")");
      }
    }
  }

  /** A name in the restore's top directory for an entry a command must work on. */
  private Path scratchName() {
    return base.resolve(".selfstorage-restoring-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
  }

  private void setMetadata(Path p, Node n) {
    boolean symlink = n.type() == NodeType.SYMLINK;
    boolean plain = n.type() == NodeType.FILE || n.type() == NodeType.DIR;
    if (!plain && (symlink && !Files.isSymbolicLink(p) || !symlink && !Files.exists(p, LinkOption.NOFOLLOW_LINKS))) {
      return;
    }
    int mode = n.mode() & (root ? 07777 : 01777);
    try {
      if (plain) {
        // one stat, and only the changes it shows: most restored files already have their owner
        // and mode, and two chowns and a chmod per file are most of a small file's restore
        Map<String, Object> now;
        try {
          now = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
          return; // it could not be created, which was reported
        }
        boolean chowned = false;
        if (root && ((int) now.get("uid") != n.uid() || (int) now.get("gid") != n.gid())) {
          Files.setAttribute(p, "unix:uid", n.uid(), LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", n.gid(), LinkOption.NOFOLLOW_LINKS);
          chowned = true;
        }
        if (chowned || ((int) now.get("mode") & 07777) != mode) {
          Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS); // after chown, which clears set-id bits
        }
      } else if (symlink) {
        if (root) {
          // lchown: the JDK changes a link's owner by path, never through its target
          Files.setAttribute(p, "unix:uid", n.uid(), LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", n.gid(), LinkOption.NOFOLLOW_LINKS);
        }
      } else {
        // The JDK changes the mode of a path by opening it first; opening a FIFO blocks and
        // opening a device can act on the device. chown/chmod work by path.
        if (root) {
          run("chown", "-h", n.uid() + ":" + n.gid(), p.toString());
        }
        run("chmod", Integer.toOctalString(mode), p.toString());
      }
    } catch (IOException | InterruptedException | UnsupportedOperationException e) {
      warnings.add(p + ": owner or permissions not restored (" + e.getMessage() + ")");
    }
    try {
      FileTime mtime = FileTime.from(Instant.ofEpochSecond(n.mtimeSeconds(), n.mtimeNanos()));
      if (plain) {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, null, null);
      } else if (!(symlink && linkTimeSet(p, mtime))) {
        // The JDK sets times by opening the file, and opening a FIFO blocks until a writer comes;
        // touch sets them by path (utimensat), and on the link itself rather than its target.
        run("touch", "--no-dereference", "-m", "-d", "@" + n.mtimeSeconds() + "." + String.format("%09d", n.mtimeNanos()),
            p.toString());
      }
    } catch (IOException | InterruptedException | UnsupportedOperationException e) {
      if (!symlink) {
        warnings.add(p + ": modification time not restored (" + e.getMessage() + ")");
      }
    }
  }
}
