package org.selfstorage.agent.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.chunk.ChunkReader;
import org.selfstorage.agent.chunk.Chunker;
import org.selfstorage.agent.chunk.ChunkerParams;
import org.selfstorage.agent.pack.BlobSealer;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.pack.PackWriter;
import org.selfstorage.agent.pack.SealedPack;
import org.selfstorage.agent.placement.Layout;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.PackUploader;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.repo.TreeLoader;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NativeNames;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.catalog.SnapshotId;
import org.selfstorage.catalog.Source;
import org.selfstorage.crypto.AeadCipher;

/**
 * Backs up one source: walks it in name order, reuses the content of files whose metadata did not
 * change since the previous snapshot, cuts the rest into chunks, stores the chunks it has not
 * seen, writes a tree blob per directory, and commits the snapshot only once every pack it
 * references is placed.
 *
 * <p>Threads: the calling thread walks, reads, chunks and hashes (sequential reads suit disks,
 * and the chunk id is needed at once to build trees); four {@link Prefetcher} threads read the
 * small files just ahead of it, across new directories too, so it seldom waits on the disk; one more
 * reads a large file's next stretch while it cuts the current one (see {@link ChunkReader}); a pool
 * compresses and seals new blobs into packs; the {@link PackUploader} erasure-codes and writes
 * packs in parallel.
 */
public final class Archiver {
  private static final long MAX_BYTES_IN_FLIGHT = 16L << 20;
  /** Small-file reads in flight ahead of the walker: they mostly wait on the disk, not a core. */
  private static final int READ_AHEAD_THREADS = 4;

  /** Settings of one run. */
  public record Options(int tolerate, int compressionLevel, ChunkerParams chunking, int packSize) {}

  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Options options;
  private final Clock clock;
  private final Progress.Listener listener;
  private final TreeLoader trees;

  private BlobIndex index;
  private BlobSealer sealer;
  private PackWriter dataPacks;
  private PackWriter treePacks;
  private PackUploader uploader;
  private ExecutorService sealers;
  private Prefetcher prefetcher;
  private final Semaphore bytesInFlight = new Semaphore((int) MAX_BYTES_IN_FLIGHT);
  /**
   * The copies of new chunks on their way to the sealers. A chunk of about 1 MiB is a humongous
   * object to G1, which reclaims those only at a collection that the young space, not they,
   * triggers: a new array for each made a backup's heap, and its resident memory, grow to the limit.
   */
  private final BufferPool chunkBuffers = new BufferPool(16);
  /** Chunks from this size up are copied into chunkBuffers: half a G1 region, where humongous starts. */
  private static final int POOLED_CHUNK = BufferPool.LARGE;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong newBlobs = new AtomicLong();
  private final AtomicLong addedBytes = new AtomicLong();
  private final Map<String, List<ChunkRef>> hardLinks = new HashMap<>();
  private final Map<BlobId, byte[]> newTrees = new java.util.LinkedHashMap<>();
  private final List<String> incomplete = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private List<String> tags = List.of();
  /** What the source takes in, set by {@link #run}. */
  private Selection selection;
  private long files;
  private long dirs;
  private long bytes;
  private long filesRead;
  private long bytesRead;
  private long lastReport;
  /** Compared against each chunk, a step at a time, to find runs of zeros (stored as holes). */
  private final byte[] zeroStep = new byte[64 << 10];
  private final ChunkReader reader;
  /** The aligned buffer large files are read through (one file at a time), made at the first. */
  private java.nio.ByteBuffer directStage;
  /** Reads large files ahead of the walker (see ChunkReader); its one thread starts with the first such file. */
  private final ExecutorService fileReads = Executors.newSingleThreadExecutor(daemon("selfstorage-file-read"));
  private boolean warmingUp;

  /** In a process whose JIT has already compiled the AEAD paths: no warm-up thread. */
  /** The snapshot this backup records carries these tags (checked by the caller). */
  public Archiver tagged(List<String> tags) {
    this.tags = List.copyOf(tags);
    return this;
  }

  public Archiver withoutWarmUp() {
    warmingUp = true;
    return this;
  }

  public Archiver(Catalog catalog, Keys keys, StoreSet stores, Options options, Clock clock,
      Progress.Listener listener) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.options = options;
    this.clock = clock;
    this.listener = listener;
    this.trees = new TreeLoader(catalog, keys, stores);
    this.reader = new ChunkReader(new Chunker(options.chunking()), fileReads);
  }

  public BackupResult run(Source source, Instant snapshotTime) throws InterruptedException {
    Instant started = clock.instant();
    selection = Selection.of(source, warnings);
    for (var e : stores.unavailable().entrySet()) {
      warnings.add("store " + e.getKey().name() + " is unavailable: " + e.getValue());
    }
    stores.readOnly().forEach((name, why) -> warnings.add("store " + name + " takes no new shards (its disk: " + why
        + "); they go to other sites"));
    int cores = Runtime.getRuntime().availableProcessors();
    // behind the walker, at a lower priority: on few cores the walker sets the pace (LowerPriority)
    ExecutorService placers = Executors.newFixedThreadPool(2, LowerPriority.threads("selfstorage-pack"));
    ExecutorService io = Executors.newFixedThreadPool(Math.max(4, stores.available().size() * 2),
        LowerPriority.threads("selfstorage-store-io"));
    sealers = Executors.newFixedThreadPool(Math.max(1, cores), LowerPriority.threads("selfstorage-seal"));
    prefetcher = new Prefetcher(READ_AHEAD_THREADS,
        (dir, path) -> selection.emptied(dir, path) == null ? selection.list(path, leftOut -> { }) : null);
    try {
      uploader = new PackUploader(catalog, keys, stores, options.tolerate(), placers, io, clock, 2);
      Layout layout = uploader.currentLayout();
      SecureRandom random = new SecureRandom();
      sealer = new BlobSealer(keys.blob(), options.compressionLevel());
      int largestBlob = options.chunking().max() + 4096;
      // one pack filling, two being placed, one finished and waiting for a place: four buffers
      // of the pack size (a blob that does not fit starts the next pack)
      dataPacks = new PackWriter(options.packSize(), BufferPool.lengthWithin(options.packSize()),
          keys.packHeader(), random, new BufferPool(4));
      treePacks = new PackWriter(options.packSize(), Math.min(options.packSize() + largestBlob, 256 << 10),
          keys.packHeader(), random);
      index = new BlobIndex(catalog.blobs().count() + 1024);
      catalog.blobs().forEachId(index::add);

      Tree previous = catalog.snapshots().latestOf(source.id()).map(s -> trees.load(s.rootTree())).orElse(null);
      BlobId rootTree = saveDirectory(selection.root(), "", previous);
      dirs++;

      sealers.shutdown();
      while (!sealers.awaitTermination(100, TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
      checkFailure();
      flush(dataPacks);
      flush(treePacks);
      uploader.awaitAll();

      flushTreeCache();
      SnapshotId id = newSnapshotId(random);
      Instant time = snapshotTime != null ? snapshotTime : started;
      catalog.snapshots().add(new Snapshot(id, source.id(), time, rootTree, hostName(), files, dirs, bytes,
          addedBytes.get(), incomplete.size(), tags));
      report(true, "");
      return new BackupResult(id.hex(), source.name(), time, files, dirs, bytes, filesRead, bytesRead, newBlobs.get(),
          addedBytes.get(), uploader.storedBytes(), layout.dataShards(), layout.parityShards(),
          Duration.between(started, clock.instant()), List.copyOf(incomplete), List.copyOf(warnings), tags);
    } finally {
      prefetcher.close();
      fileReads.shutdownNow();
      sealers.shutdownNow();
      placers.shutdownNow();
      io.shutdownNow();
      if (sealer != null) {
        try {
          sealers.awaitTermination(10, TimeUnit.SECONDS); // no seal still using a context
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sealer.close();
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static SnapshotId newSnapshotId(SecureRandom random) {
    byte[] b = new byte[SnapshotId.LENGTH];
    random.nextBytes(b);
    return new SnapshotId(b);
  }

  private void checkFailure() {
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /** Stores a directory's entries (recursively) and returns the id of its tree blob. */
  private BlobId saveDirectory(Path dir, String rel, Tree previous) throws InterruptedException {
    Selection.Listing children;
    try {
      children = selection.list(dir, leftOut -> { });
    } catch (IOException e) {
      incomplete.add(display(rel) + ": directory cannot be listed (" + reason(e) + ")");
      return saveTree(new Tree(List.of()));
    }
    Prefetcher.Batch ahead = prefetcher.add(dir, children.paths(), children.names(), previous);
    try {
      return saveTree(new Tree(saveEntries(children.paths(), children.names(), rel, previous, ahead)));
    } finally {
      prefetcher.done(ahead);
    }
  }

  private List<Node> saveEntries(List<Path> paths, List<byte[]> names, String rel, Tree previous,
      Prefetcher.Batch ahead) throws InterruptedException {
    List<Node> nodes = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      checkFailure();
      ahead.reached(i);
      Path path = paths.get(i);
      byte[] name = names.get(i);
      String childRel = child(rel, name);
      Node node;
      try {
        node = FileScanner.scan(path, name);
      } catch (NoSuchFileException e) {
        continue; // deleted between listing and looking: it is simply not part of this snapshot
      } catch (IOException e) {
        incomplete.add(display(childRel) + ": cannot be examined (" + reason(e) + ")");
        continue;
      }
      Node before = previous == null ? null : previous.find(name);
      switch (node.type()) {
        case DIR -> {
          if (selection.emptied(node, path) != null) {
            node = node.withSubtree(saveTree(new Tree(List.of()))); // the directory itself, not what it holds
          } else {
            Tree prevSub = before != null && before.isDirectoryWithTree()
                ? trees.load(before.subtree()) : null;
            node = node.withSubtree(saveDirectory(path, childRel, prevSub));
          }
          dirs++;
        }
        case FILE -> {
          if (selection.tooLarge(node)) {
            continue; // left out: not read, not recorded
          }
          node = saveFile(path, childRel, node, before);
          files++;
          bytes += node.size();
        }
        default -> {
          // symlinks and special files: metadata only; FIFOs are never opened
        }
      }
      nodes.add(node);
      report(false, childRel);
    }
    return nodes;
  }

  private Node saveFile(Path path, String rel, Node node, Node before) throws InterruptedException {
    if (node.sameFileAs(before)) {
      return node.withContent(before.content(), null);
    }
    String linkKey = node.isHardLinked() ? node.device() + ":" + node.inode() : null;
    if (linkKey != null && hardLinks.containsKey(linkKey)) {
      return node.withContent(hardLinks.get(linkKey), null);
    }
    String problem = null;
    List<ChunkRef> content = List.of();
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        // the scan just before, on this thread, is the first look; a second attempt looks again
        FileScanner.ChangeStamp stampBefore = attempt == 0 ? FileScanner.ChangeStamp.of(node)
            : FileScanner.changeStamp(path);
        content = readContent(path, stampBefore.size());
        FileScanner.ChangeStamp stampAfter = FileScanner.changeStamp(path);
        if (stampBefore.equals(stampAfter) && stampBefore.size() == sizeOf(content)) {
          problem = null;
          break;
        }
        problem = "changed while being read";
      } catch (AccessDeniedException e) {
        problem = "cannot be read: permission denied";
        break;
      } catch (NoSuchFileException e) {
        problem = "deleted while being read";
        break;
      } catch (IOException e) {
        problem = "cannot be read: " + reason(e);
        break;
      }
    }
    filesRead++;
    if (problem != null) {
      incomplete.add(display(rel) + ": " + problem);
      return node.withContent(content, problem);
    }
    if (linkKey != null) {
      hardLinks.put(linkKey, content);
    }
    long size = sizeOf(content);
    return size == node.size() ? node.withContent(content, null)
        : new Node(node.name(), node.type(), node.mode(), node.uid(), node.gid(), node.mtimeSeconds(),
            node.mtimeNanos(), node.ctimeSeconds(), node.ctimeNanos(), node.inode(), node.device(), node.links(), size,
            node.rdev(), node.linkTarget(), null, content, null);
  }

  private static long sizeOf(List<ChunkRef> content) {
    long n = 0;
    for (ChunkRef c : content) {
      n += c.length();
    }
    return n;
  }

  private List<ChunkRef> readContent(Path path, long size) throws IOException, InterruptedException {
    List<ChunkRef> content = new ArrayList<>();
    try (ReadableByteChannel ch = open(path, size)) {
      reader.read(ch, (buf, off, len) -> {
        bytesRead += len;
        if (allZero(buf, off, len)) {
          content.add(ChunkRef.zeros(len));
          return;
        }
        byte[] id = keys.chunkId().id(buf, off, len);
        BlobId blob = new BlobId(id);
        content.add(new ChunkRef(blob, len));
        if (index.add(id)) {
          try {
            boolean lent = len >= POOLED_CHUNK; // small copies are cheap young garbage
            byte[] copy = lent ? chunkBuffers.take(len) : new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            submit(blob, BlobType.DATA, copy, len, lent);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
          }
        }
        report(false, null);
      });
    }
    return content;
  }

  private boolean allZero(byte[] buf, int off, int len) {
    for (int done = 0; done < len; done += zeroStep.length) {
      int n = Math.min(zeroStep.length, len - done);
      if (Arrays.mismatch(buf, off + done, off + done + n, zeroStep, 0, n) != -1) {
        return false;
      }
    }
    return true;
  }

  /**
   * A file the reader will read ahead is read past the page cache: read once, it would only evict
   * what the machine keeps there, and the copy through the cache is most of what the kernel spends
   * on the read (see DirectFileReader). Smaller ones take one or two reads on this thread, which
   * O_DIRECT would make wait for the disk each time.
   */
  private ReadableByteChannel open(Path path, long size) throws IOException {
    if (reader.readsAhead(size)) {
      if (directStage == null) {
        directStage = DirectFileReader.newStage();
      }
      return DirectFileReader.open(path, directStage);
    }
    return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private BlobId saveTree(Tree tree) throws InterruptedException {
    byte[] data = tree.encode();
    byte[] id = keys.chunkId().id(data, 0, data.length);
    BlobId blob = new BlobId(id);
    if (index.add(id)) {
      // a known tree is already in the catalog's tree cache; new ones are written in one
      // transaction at the end rather than one synchronous commit per directory
      newTrees.put(blob, data);
      if (newTrees.size() >= 1024) {
        flushTreeCache();
      }
      submit(blob, BlobType.TREE, data, data.length, false);
    }
    return blob;
  }

  private void flushTreeCache() {
    catalog.inTransaction(() -> {
      newTrees.forEach(catalog.trees()::put);
      return null;
    });
    newTrees.clear();
  }

  /** Seals {@code plain[0 .. length)} into a pack on a sealer thread; a {@code lent} array goes back to chunkBuffers. */
  private void submit(BlobId blob, BlobType type, byte[] plain, int length, boolean lent) throws InterruptedException {
    if (!warmingUp && type == BlobType.DATA) {
      // only now: a backup with nothing new to seal should not spend a core on it
      warmingUp = true;
      Thread t = new Thread(AeadCipher::warmUp, "selfstorage-warm-up");
      t.setDaemon(true);
      t.start();
    }
    int cost = Math.max(1, lent ? plain.length : length); // a lent array holds all its bytes
    bytesInFlight.acquire(cost);
    sealers.execute(() -> {
      try {
        if (failure.get() != null) {
          return;
        }
        PackWriter writer = type == BlobType.TREE ? treePacks : dataPacks;
        SealedPack before;
        SealedPack full = null;
        int sealedLength;
        // compression runs in parallel; the encryption, straight into the pack, under the
        // writer's lock (AES-GCM runs at GB/s per core, far faster than the blobs come)
        try (BlobSealer.Framed framed = sealer.frame(plain, 0, length)) {
          sealedLength = framed.sealedLength();
          synchronized (writer) {
            before = writer.add(blob, type, framed, length);
            if (writer.isFull()) {
              full = writer.finish();
            }
          }
        }
        newBlobs.incrementAndGet();
        addedBytes.addAndGet(sealedLength);
        if (before != null) {
          uploader.upload(before);
        }
        if (full != null) {
          uploader.upload(full);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        if (lent) {
          chunkBuffers.give(plain); // sealed into the pack by now, or never to be
        }
        bytesInFlight.release(cost);
      }
    });
  }

  /** Seals the writer's open pack, if it holds anything, and queues it. */
  private void flush(PackWriter writer) throws InterruptedException {
    SealedPack pack = null;
    synchronized (writer) {
      if (!writer.isEmpty()) {
        pack = writer.finish();
      }
    }
    if (pack != null) {
      uploader.upload(pack);
    }
  }

  private void report(boolean force, String detail) {
    long now = System.nanoTime();
    if (force || now - lastReport > 200_000_000L) {
      lastReport = now;
      listener.onProgress(new Progress("backup", files, bytes, -1, addedBytes.get(), detail == null ? "" : detail));
    }
  }

  /**
   * The path from the source's top of entry {@code name} in directory {@code rel}, as messages and
   * listings show it (a byte that is not UTF-8 as {@code \xNN}, as {@code ls} does).
   */
  static String child(String rel, byte[] name) {
    String n = NativeNames.display(name);
    return rel.isEmpty() ? n : rel + "/" + n;
  }

  /** An entry's path from the source's top as messages name it ("." for the top). */
  static String display(String rel) {
    return rel.isEmpty() ? "." : rel;
  }

  /** Why an entry cannot be read, in a message. */
  static String reason(IOException e) {
    return e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
  }

  private static String hostName() {
    try {
      return Files.readString(Path.of("/etc/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
