package org.selfstorage.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
  @TempDir Path dir;

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void packAndBlobs_recordedTogether_areFoundAgainAfterReopen() {
    Path file = dir.resolve("catalog.db");
    PackId pack = new PackId(bytes(16, 1));
    BlobId blob = new BlobId(bytes(32, 2));
    try (Catalog c = Catalog.open(file)) {
      Store s = c.stores().add("usb1", "local", "/mnt/usb1", "usb1", Instant.EPOCH);
      c.packs().add(new Pack(pack, 1000, 2, 1, 520, Instant.EPOCH),
          List.of(new BlobEntry(blob, pack, 0, 100, 72, BlobType.DATA)),
          List.of(new ShardRecord(pack, 0, s.id(), bytes(32, 9))));
    }
    try (Catalog c = Catalog.open(file)) {
      BlobEntry e = c.blobs().get(blob).orElseThrow();
      assertEquals(pack, e.packId());
      assertEquals(72, e.rawLength());
      assertEquals(1, c.shards().ofPack(pack).size());
      assertArrayEquals(bytes(32, 9), c.shards().ofPack(pack).get(0).sha256());
      List<byte[]> ids = new ArrayList<>();
      c.blobs().forEachId(ids::add);
      assertEquals(1, ids.size());
      assertEquals(520, c.shards().bytesOnStore(c.stores().byName("usb1").orElseThrow().id()));
    }
  }

  @Test
  void failedTransaction_leavesNothingBehind() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      assertThrows(IllegalStateException.class, () -> c.inTransaction(() -> {
        c.settings().put("a", "1");
        throw new IllegalStateException("boom");
      }));
      assertTrue(c.settings().get("a").isEmpty());
    }
  }

  @Test
  void snapshotPrefix_findsByShortId() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      Source src = c.sources().add("docs", "/home/docs", Instant.EPOCH);
      SnapshotId id = SnapshotId.fromHex("abcdef0123456789abcdef0123456789");
      c.snapshots().add(new Snapshot(id, src.id(), Instant.ofEpochMilli(5), new BlobId(bytes(32, 3)), "h", 1, 1, 10, 10, 0));
      assertEquals(id, c.snapshots().withPrefix("ABCDEF").get(0).id());
      assertTrue(c.snapshots().withPrefix("abd").isEmpty());
      assertEquals(id, c.snapshots().latestOf(src.id()).orElseThrow().id());
    }
  }

  @Test
  void garbageFile_isReportedAsCorrupt() throws Exception {
    Path file = dir.resolve("catalog.db");
    Files.write(file, bytes(8192, 0x5a));
    CatalogCorruptException e = assertThrows(CatalogCorruptException.class, () -> Catalog.open(file));
    assertEquals("CATALOG_CORRUPT", e.code());
  }

  @Test
  void newerSchema_isRefused() throws Exception {
    Path file = dir.resolve("catalog.db");
    try (Catalog c = Catalog.open(file)) {
      c.settings().put("x", "y");
    }
    try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = conn.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThrows(SchemaTooNewException.class, () -> Catalog.open(file));
  }
}
