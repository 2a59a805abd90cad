package org.selfstorage.agent.repo;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.crypto.AuthenticationFailedException;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;

/**
 * The copy of the catalog that every store and partner keeps, so that after the loss of the home
 * the recovery code and any one of them are enough to rebuild it: snapshot records, pack indexes
 * and where each shard is, sources, stores and partners with their addresses and keys. The tree
 * cache is left out (tree packs hold the trees), so are invitation secrets and the event log.
 *
 * <p>Format of {@code catalog.a} / {@code catalog.b} (written in turn, so the previous copy survives
 * whatever happens to the newest): {@code "SSC1"}, generation (u64), zstd-compressed SQLite file
 * sealed with the catalog-backup key, the first 12 bytes as associated data.
 */
public final class CatalogReplica {
  private static final byte[] MAGIC = "SSC1".getBytes(StandardCharsets.US_ASCII);
  private static final String GENERATION = "replica.generation";
  private static final List<ShardName> NAMES = List.of(new ShardName("catalog.a"), new ShardName("catalog.b"));

  private CatalogReplica() {}

  /** Whether a name in a store is one of the catalog copies (not a pack shard). */
  public static boolean isReplica(ShardName name) {
    return NAMES.contains(name);
  }

  /** Writes the next generation to every available store; returns the stores that could not take it. */
  public static List<String> publish(Catalog catalog, Keys keys, StoreSet stores, Path scratchDir) {
    long generation = catalog.settings().get(GENERATION).map(Long::parseLong).orElse(0L) + 1;
    catalog.settings().put(GENERATION, Long.toString(generation));
    byte[] blob = seal(catalog, keys, generation, scratchDir);
    ShardName name = NAMES.get((int) (generation % 2));
    List<String> failed = new ArrayList<>();
    for (OpenStore s : stores.available()) {
      try {
        s.handle().put(name, blob);
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
      byte[] plain = Zstd.compress(Files.readAllBytes(copy), 3);
      byte[] head = ByteBuffer.allocate(12).put(MAGIC).putLong(generation).array();
      byte[] sealed = keys.catalogBackup().seal(plain, head);
      return ByteBuffer.allocate(12 + sealed.length).put(head).put(sealed).array();
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
      } catch (FederationException | AuthenticationFailedException e) {
        // absent or damaged: the other generation may do
      }
    }
    return Optional.ofNullable(best);
  }
}
