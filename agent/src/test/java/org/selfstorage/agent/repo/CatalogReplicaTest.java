package org.selfstorage.agent.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStores;

class CatalogReplicaTest {
  private static final Keys KEYS = Keys.derive(MasterSecret.fromBytes(new byte[16]));
  private static final Keys OTHER = Keys.derive(MasterSecret.fromBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0}));

  @TempDir Path dir;

  @Test
  void publishedCopy_opensWithTheKey_holdsTheRecords_andLeavesSecretsAndCachesOut() throws Exception {
    Path storeRoot = dir.resolve("store");
    ShardStores.initLocal(storeRoot, "s").close();
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      c.stores().add("usb", "local", storeRoot.toString(), "usb", Instant.EPOCH);
      c.sources().add("docs", "/srv/docs", Instant.EPOCH);
      c.partners().add("bob", new byte[32], List.of("127.0.0.2:7722"), "bob", 10, 20, Instant.EPOCH);
      c.invitations().add(new byte[8], new byte[16], 5, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
      c.events().add(Instant.EPOCH, "X", "info", "private log line");
      try (StoreSet stores = StoreSet.open(c)) {
        assertTrue(CatalogReplica.publish(c, KEYS, stores, dir).isEmpty());
        c.sources().add("photos", "/srv/photos", Instant.EPOCH);
        assertTrue(CatalogReplica.publish(c, KEYS, stores, dir).isEmpty());
      }
    }
    try (ShardStore store = ShardStores.openLocal(storeRoot)) {
      assertTrue(store.stat(new ShardName("catalog.a")).isPresent());
      assertTrue(store.stat(new ShardName("catalog.b")).isPresent());
      CatalogReplica.Copy copy = CatalogReplica.newest(store, KEYS).orElseThrow();
      assertEquals(2, copy.generation());
      assertTrue(CatalogReplica.newest(store, OTHER).isEmpty(), "another key must not open it");
      Path restored = dir.resolve("restored.db");
      Files.write(restored, copy.sqlite());
      try (Catalog r = Catalog.open(restored)) {
        assertEquals(2, r.sources().list().size());
        assertEquals("127.0.0.2:7722", r.partners().byName("bob").orElseThrow().addresses().get(0));
        assertTrue(r.invitations().byId(new byte[8]).isEmpty(), "invitation secrets stay home");
        assertTrue(r.events().recent(10).isEmpty());
      }
      // the newest copy damaged: the previous generation is used
      Path newest = storeRoot.resolve("shards").resolve("ca").resolve("catalog.a");
      byte[] b = Files.readAllBytes(newest);
      b[b.length - 1] ^= 1;
      Files.write(newest, b);
      assertEquals(1, CatalogReplica.newest(store, KEYS).orElseThrow().generation());
    }
    assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith("catalog-replica-")));
  }

  @Test
  void compressingAFileInSteps_givesOneFrameWithItsSize_evenWhenItHardlyShrinks() throws Exception {
    byte[] content = new byte[5 << 20]; // many steps; random, so the output outgrows its first guess
    new java.util.Random(7).nextBytes(content);
    java.util.Arrays.fill(content, 3 << 20, 4 << 20, (byte) 0);
    Path file = Files.write(dir.resolve("big.db"), content);
    java.nio.ByteBuffer frame = CatalogReplica.compress(file);
    byte[] bytes = java.util.Arrays.copyOf(frame.array(), frame.limit());
    assertEquals(content.length, com.github.luben.zstd.Zstd.getFrameContentSize(bytes), "the size is in the frame");
    assertTrue(bytes.length < content.length, "the zero run shrank");
    assertTrue(java.util.Arrays.equals(content, com.github.luben.zstd.Zstd.decompress(bytes, content.length)));
  }
}
