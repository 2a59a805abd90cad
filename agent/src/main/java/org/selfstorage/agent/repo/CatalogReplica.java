package org.selfstorage.agent.repo;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.AuthenticationFailedException;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardNotFoundException;
import org.selfstorage.federation.ShardStore;

/**
 * The copy of the catalog that every store and partner keeps, so that after the loss of the home
 * the recovery code and any one of them are enough to rebuild it: snapshot records, pack indexes
 * and where each shard is, sources, stores and partners with their addresses and keys. The tree
 * cache is left out (tree packs hold the trees), so are invitation secrets and the event log.
 *
 * <p>Format of {@code catalog.a} / {@code catalog.b} (written in turn, so the previous copy survives
 * whatever happens to the newest): {@code "SSC1"}, generation (u64), zstd-compressed SQLite file
 * sealed with the catalog-backup key, the first 12 bytes as associated data. Beside them
 * {@code catalog.generation}: {@code "SSG1"}, the same generation, an empty plaintext sealed with
 * the first 12 bytes as associated data. It is written after the copy, so it never names a
 * generation the store does not hold, and it lets an agent learn the newest generation on every
 * store without downloading the copies: a home whose catalog is older than that was put back from
 * an old copy (or another machine uses its keys), and must not delete anything (docs/design.md,
 * "Stale catalogs").
 */
public final class CatalogReplica {
  private static final byte[] MAGIC = "SSC1".getBytes(StandardCharsets.US_ASCII);
  private static final String GENERATION = "replica.generation";
  private static final List<ShardName> NAMES = List.of(new ShardName("catalog.a"), new ShardName("catalog.b"));
  private static final byte[] MARKER_MAGIC = "SSG1".getBytes(StandardCharsets.US_ASCII);
  private static final ShardName MARKER = new ShardName("catalog.generation");
  /** Setting prefix: the generation last written to a store, by store id (to notice a rollback). */
  private static final String WRITTEN = "replica.written.";

  /** How much of the exported file is read, and room left for output, per compression step. */
  private static final int STEP = 256 << 10;

  private CatalogReplica() {}

  /** Whether a name in a store is one of the catalog copies (not a pack shard). */
  public static boolean isReplica(ShardName name) {
    return NAMES.contains(name) || MARKER.equals(name);
  }

  /** The generation of this catalog: how many copies it has published. */
  public static long generation(Catalog catalog) {
    return catalog.settings().get(GENERATION).map(Long::parseLong).orElse(0L);
  }

  /** Writes the next generation to every available store; returns the stores that could not take it. */
  public static List<String> publish(Catalog catalog, Keys keys, StoreSet stores, Path scratchDir) {
    long generation = generation(catalog) + 1;
    catalog.settings().put(GENERATION, Long.toString(generation));
    byte[] blob = seal(catalog, keys, generation, scratchDir);
    byte[] marker = marker(keys, generation);
    ShardName name = NAMES.get((int) (generation % 2));
    List<String> failed = new ArrayList<>();
    for (OpenStore s : stores.available()) {
      try {
        s.handle().put(name, blob);
        s.handle().put(MARKER, marker);
        catalog.settings().put(WRITTEN + s.id(), Long.toString(generation));
      } catch (FederationException e) {
        failed.add(s.name() + ": " + e.getMessage());
      }
    }
    return failed;
  }

  private static byte[] seal(Catalog catalog, Keys keys, long generation, Path scratchDir) {
    Path copy = scratchDir.resolve("catalog-replica-" + generation + ".db");
    try {
      Files.deleteIfExists(copy);
      catalog.exportForRecovery(copy);
      ByteBuffer plain = compress(copy);
      byte[] head = ByteBuffer.allocate(12).put(MAGIC).putLong(generation).array();
      byte[] blob = new byte[head.length + AeadCipher.OVERHEAD + plain.remaining()];
      System.arraycopy(head, 0, blob, 0, head.length);
      keys.catalogBackup().sealInto(new byte[0], plain.array(), 0, plain.remaining(), head, blob, head.length);
      return blob;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException ignored) {
        // a leftover scratch copy is removed by the next publish of the same generation
      }
    }
  }

  /**
   * The file's zstd frame (with its size in the header, which {@link #newest} relies on), read and
   * compressed a step at a time: the whole file and a compression bound of it in memory at once
   * were two large arrays (11-17 MB each for the bench set's catalog) at the very end of a backup,
   * where its memory peaks. Returns a buffer whose array holds the frame from 0 to its limit.
   */
  static ByteBuffer compress(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      long size = in.size();
      ctx.setLevel(3);
      ctx.setPledgedSrcSize(size);
      ByteBuffer step = ByteBuffer.allocate(STEP);
      ByteBuffer out = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 64, size / 4 + STEP));
      boolean end = false;
      boolean done = false;
      while (!done) {
        if (!end) {
          step.clear();
          end = in.read(step) < 0;
          step.flip();
        }
        do {
          if (out.remaining() < STEP) {
            out = ByteBuffer.allocate(out.capacity() + Math.max(out.capacity() / 2, STEP)).put(out.flip());
          }
          done = ctx.compressByteBufferStream(out, step, end ? EndDirective.END : EndDirective.CONTINUE) && end;
        } while (step.hasRemaining() || (end && !done));
      }
      return out.flip();
    }
  }

  private static byte[] marker(Keys keys, long generation) {
    byte[] head = ByteBuffer.allocate(12).put(MARKER_MAGIC).putLong(generation).array();
    byte[] sealed = keys.catalogBackup().seal(new byte[0], head);
    return ByteBuffer.allocate(12 + sealed.length).put(head).put(sealed).array();
  }

  /**
   * The newest generation a store holds, read from its marker (or, on a store written before
   * markers existed, from the copies themselves); empty when it holds none that opens with our key.
   */
  public static java.util.OptionalLong generationOn(ShardStore store, Keys keys) {
    try {
      byte[] blob = store.get(MARKER);
      if (blob.length > 12 && java.util.Arrays.equals(MARKER_MAGIC, 0, 4, blob, 0, 4)) {
        keys.catalogBackup().open(blob, 12, blob.length - 12, java.util.Arrays.copyOf(blob, 12));
        return java.util.OptionalLong.of(ByteBuffer.wrap(blob, 4, 8).getLong());
      }
    } catch (ShardNotFoundException | AuthenticationFailedException e) {
      // no marker, or not ours: the copies say it (an unreachable store throws: no answer is not "none")
    }
    return newest(store, keys).map(c -> java.util.OptionalLong.of(c.generation()))
        .orElse(java.util.OptionalLong.empty());
  }

  /**
   * What the stores hold compared with this catalog. {@code newer}: the store holding the newest
   * generation above ours, if any (this catalog is stale). {@code rolledBack}: stores that hold an
   * older generation than the one we last wrote to them (their files were put back from an old copy).
   */
  public record Survey(long ours, long newest, OpenStore newerAt, Map<OpenStore, Long> rolledBack) {
    public boolean stale() {
      return newerAt != null;
    }
  }

  /** Reads every available store's generation; a store that cannot be read is left out. */
  public static Survey survey(Catalog catalog, Keys keys, StoreSet stores) {
    long ours = generation(catalog);
    long newest = ours;
    OpenStore newerAt = null;
    Map<OpenStore, Long> rolledBack = new LinkedHashMap<>();
    for (OpenStore s : stores.available()) {
      java.util.OptionalLong on;
      try {
        on = generationOn(s.handle(), keys);
      } catch (FederationException e) {
        continue; // unreachable now: it says nothing either way
      }
      long written = catalog.settings().get(WRITTEN + s.id()).map(Long::parseLong).orElse(0L);
      long there = on.orElse(0L);
      if (there > newest) {
        newest = there;
        newerAt = s;
      }
      if (there < written && written <= ours) {
        rolledBack.put(s, there);
      }
    }
    return new Survey(ours, newest, newerAt, rolledBack);
  }

  /** Records that a store's rollback was dealt with, so it is reported once. */
  public static void acknowledgeRollback(Catalog catalog, OpenStore store, long generation) {
    catalog.settings().put(WRITTEN + store.id(), Long.toString(generation));
  }

  /** A replica read back: its generation and the SQLite file's bytes. */
  public record Copy(long generation, byte[] sqlite) {}

  /** The newest copy on a store that opens with our key, if any. */
  public static Optional<Copy> newest(ShardStore store, Keys keys) {
    Copy best = null;
    for (ShardName name : NAMES) {
      try {
        byte[] blob = store.get(name);
        if (blob.length < 12 + 16 || !java.util.Arrays.equals(MAGIC, 0, 4, blob, 0, 4)) {
          continue;
        }
        long generation = ByteBuffer.wrap(blob, 4, 8).getLong();
        byte[] plain = keys.catalogBackup().open(blob, 12, blob.length - 12, java.util.Arrays.copyOf(blob, 12));
        byte[] sqlite = Zstd.decompress(plain, (int) Zstd.getFrameContentSize(plain));
        if (best == null || generation > best.generation()) {
          best = new Copy(generation, sqlite);
        }
      } catch (ShardNotFoundException | AuthenticationFailedException e) {
        // absent, or not sealed with our key: the other generation may do. A store that does not
        // answer, or refuses us, throws: "no answer" is not "no copy"
      }
    }
    return Optional.ofNullable(best);
  }
}
