package org.selfstorage.federation.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.selfstorage.federation.Durability;
import org.selfstorage.federation.ShardBytes;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardNotFoundException;
import org.selfstorage.federation.ShardStat;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.StoreFullException;
import org.selfstorage.federation.StoreIoException;
import org.selfstorage.federation.StoreUnavailableException;

/**
 * Shards as plain files in a directory: {@code shards/<first two characters>/<name>}, written to
 * {@code tmp/} first, fsynced, then renamed into place, so an admin can list, check and copy them
 * with ordinary tools and a crash never leaves a torn shard under its real name.
 */
public final class LocalDirShardStore implements ShardStore {
  public static final String MARKER = ".selfstorage-store";
  private static final int IO_STEP = 1 << 20;

  private final Path root;
  private final Path shards;
  private final Path tmp;
  private final Durability durability;
  private final StagingBuffers staging = StagingBuffers.direct();

  private LocalDirShardStore(Path root, Durability durability) {
    this.root = root;
    this.shards = root.resolve("shards");
    this.tmp = root.resolve("tmp");
    this.durability = durability;
  }

  public static LocalDirShardStore open(Path root) {
    return open(root, Durability.system());
  }

  public static LocalDirShardStore open(Path root, Durability durability) {
    LocalDirShardStore store = new LocalDirShardStore(root.toAbsolutePath().normalize(), durability);
    store.checkPresent();
    return store;
  }

  public static LocalDirShardStore init(Path root, String storeId) {
    Path r = root.toAbsolutePath().normalize();
    try {
      Durability d = Durability.system();
      d.createDirectories(r);
      Path marker = r.resolve(MARKER);
      if (!Files.exists(marker)) {
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          byte[] text = ("selfstorage store " + storeId + "\n").getBytes(StandardCharsets.UTF_8);
          writeFully(ch, text, 0, text.length);
          d.forceFile(ch, marker);
        }
      }
      d.createDirectories(r.resolve("shards"));
      createPrefixDirectories(d, r.resolve("shards"));
      d.createDirectories(r.resolve("tmp"));
      d.forceDirectory(r);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot prepare " + r + " as a store: " + e.getMessage(), e);
    }
    return open(r);
  }

  /**
   * The 256 directories that shards named by a hex pack id go into, made now with one force of
   * their parent: made on first use instead, each cost a force of {@code shards/} during a first
   * backup (116 per store for the bench's data set; docs/design.md §10, session 16). Other names,
   * and stores made before this, still get their directory on first use in {@link #put}.
   */
  private static void createPrefixDirectories(Durability d, Path shards) throws IOException {
    for (int i = 0; i < 256; i++) {
      Path dir = shards.resolve(String.format("%02x", i));
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir);
      }
    }
    d.forceDirectory(shards);
  }

  private void checkPresent() {
    if (!Files.isDirectory(root)) {
      throw new StoreUnavailableException("the store directory " + root + " does not exist (is the disk mounted?)", null);
    }
    if (!Files.exists(root.resolve(MARKER))) {
      throw new StoreUnavailableException(
          "the directory " + root + " is not a selfstorage store any more (no " + MARKER
              + " file: not mounted, or wiped)", null);
    }
  }

  private Path pathOf(ShardName name) {
    String v = name.value();
    return shards.resolve(v.substring(0, Math.min(2, v.length()))).resolve(v);
  }

  @Override
  public String describe() {
    return "local:" + root;
  }

  @Override
  public void put(ShardName name, byte[] data) {
    put(name, new byte[0], data);
  }

  @Override
  public void put(ShardName name, byte[] header, byte[] body, int bodyOffset, int bodyLength) {
    java.util.Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
    checkPresent();
    Path target = pathOf(name);
    Path temp = tmp.resolve(name.value() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      durability.createDirectories(tmp);
      try (DirectFileWriter w = DirectFileWriter.create(temp, staging, false)) {
        w.write(header, 0, header.length);
        w.write(body, bodyOffset, bodyLength);
        durability.forceFile(w.finish(), temp);
      }
      durability.createDirectories(target.getParent());
      try {
        durability.move(temp, target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StoreIoException("the store " + root + " cannot rename atomically; it must be one filesystem", e);
      }
      durability.forceDirectory(target.getParent());
    } catch (IOException e) {
      deleteQuietly(temp);
      if (isNoSpace(e)) {
        throw new StoreFullException("the store " + root + " is full (writing shard " + name + ")", e);
      }
      checkPresent();
      throw new StoreIoException("writing shard " + name + " to " + root + " failed: " + e.getMessage(), e);
    }
  }

  static boolean isNoSpace(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort; stray temporary files are cleaned up by the next put's owner or by hand
    }
  }

  /**
   * Writes in steps of at most {@link #IO_STEP}: the JDK copies a heap buffer through a temporary
   * direct buffer of the same size and keeps one per thread, so 8 MiB writes would pin 8 MiB of
   * native memory in every I/O thread.
   */
  private static void writeFully(FileChannel ch, byte[] data, int offset, int length) throws IOException {
    for (int pos = offset, end = offset + length; pos < end; ) {
      pos += ch.write(ByteBuffer.wrap(data, pos, Math.min(IO_STEP, end - pos)));
    }
  }

  @Override
  public byte[] get(ShardName name) {
    return get(name, byte[]::new).exact();
  }

  @Override
  public ShardBytes get(ShardName name, java.util.function.IntFunction<byte[]> buffers) {
    try (FileChannel ch = FileChannel.open(pathOf(name), StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new StoreIoException("shard " + name + " in " + root + " is " + size + " bytes, too large to be a shard", null);
      }
      int length = (int) size;
      byte[] data = buffers.apply(length);
      int pos = 0;
      while (pos < length) {
        int n = ch.read(ByteBuffer.wrap(data, pos, Math.min(IO_STEP, length - pos)));
        if (n < 0) {
          throw new StoreIoException("shard " + name + " in " + root + " shrank while being read", null);
        }
        pos += n;
      }
      return new ShardBytes(data, length);
    } catch (NoSuchFileException e) {
      checkPresent();
      throw new ShardNotFoundException(name, describe());
    } catch (IOException e) {
      checkPresent();
      throw new StoreIoException("reading shard " + name + " from " + root + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ShardStat> stat(ShardName name) {
    checkPresent();
    Path p = pathOf(name);
    try {
      return Optional.of(new ShardStat(name, Files.size(p)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIoException("cannot stat shard " + name + " in " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ShardStat> list(String prefix) {
    checkPresent();
    List<ShardStat> out = new ArrayList<>();
    try (DirectoryStream<Path> fans = Files.newDirectoryStream(shards)) {
      for (Path fan : fans) {
        String f = fan.getFileName().toString();
        if (!prefix.startsWith(f) && !f.startsWith(prefix) && !prefix.isEmpty()) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fan)) {
          for (Path file : files) {
            String n = file.getFileName().toString();
            if (n.startsWith(prefix) && ShardName.isValid(n)) {
              out.add(new ShardStat(new ShardName(n), Files.size(file)));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new StoreIoException("listing " + root + " failed: " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(s -> s.name().value()));
    return out;
  }

  @Override
  public void delete(ShardName name) {
    checkPresent();
    try {
      Files.deleteIfExists(pathOf(name));
    } catch (IOException e) {
      throw new StoreIoException("deleting shard " + name + " from " + root + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> removeLeftovers() {
    checkPresent();
    try {
      return Leftovers.remove(tmp, "tmp");
    } catch (IOException e) {
      throw new StoreIoException("cannot clear leftover temporary files in " + tmp + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long freeSpace() {
    try {
      FileStore fs = Files.getFileStore(root);
      return fs.getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  public Path root() {
    return root;
  }
}
