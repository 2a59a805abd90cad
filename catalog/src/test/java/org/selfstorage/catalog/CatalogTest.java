package org.selfstorage.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  void tags_areKeptWithTheSnapshot_changedOneByOne_andGoWithIt() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      Source src = c.sources().add("docs", "/home/docs", Instant.EPOCH);
      SnapshotId a = SnapshotId.fromHex("0000000000000000000000000000000a");
      SnapshotId b = SnapshotId.fromHex("0000000000000000000000000000000b");
      c.snapshots().add(new Snapshot(a, src.id(), Instant.ofEpochMilli(5), new BlobId(bytes(32, 3)), "h", 1, 1, 10, 10,
          0, List.of("weekly", "before-upgrade")));
      c.snapshots().add(new Snapshot(b, src.id(), Instant.ofEpochMilli(6), new BlobId(bytes(32, 3)), "h", 1, 1, 10, 10,
          0));
      assertEquals(List.of("before-upgrade", "weekly"), c.snapshots().get(a).orElseThrow().tags());
      assertEquals(List.of(), c.snapshots().get(b).orElseThrow().tags());
      c.snapshots().addTags(b, List.of("x", "weekly"));
      c.snapshots().addTags(b, List.of("x")); // again: once
      c.snapshots().removeTags(a, List.of("weekly", "never-had"));
      assertEquals(List.of(List.of("before-upgrade"), List.of("weekly", "x")),
          c.snapshots().list().stream().map(Snapshot::tags).toList());
      c.snapshots().delete(b);
      c.snapshots().add(new Snapshot(b, src.id(), Instant.ofEpochMilli(7), new BlobId(bytes(32, 3)), "h", 1, 1, 10, 10,
          0));
      assertEquals(List.of(), c.snapshots().get(b).orElseThrow().tags(), "a forgotten snapshot's tags went with it");
      c.policies().set(src.id(), new Policies.Rules(1, 0, 0, 0, 0, 0, 0, List.of("before-upgrade", "q4")));
      assertEquals(List.of("before-upgrade", "q4"), c.policies().of(src.id()).orElseThrow().keepTags());
      c.policies().set(src.id(), new Policies.Rules(1, 0, 0, 0, 0, 0, 0));
      assertEquals(List.of(), c.policies().of(src.id()).orElseThrow().keepTags());
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

  @Test
  void versionOneCatalog_migratesToPartners_keepingItsData() throws Exception {
    Path file = dir.resolve("catalog.db");
    try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = conn.createStatement()) {
      org.selfstorage.catalog.schema.Migrations.migrate(conn, 0, 1);
      st.execute("INSERT INTO stores(name, kind, location, site, added_at) VALUES ('usb1', 'local', '/mnt/usb1', 'home', 5)");
      st.execute("INSERT INTO settings(key, value) VALUES ('redundancy.tolerate', '1')");
    }
    try (Catalog c = Catalog.open(file)) {
      assertEquals("1", c.settings().get("redundancy.tolerate").orElseThrow());
      assertEquals("/mnt/usb1", c.stores().byName("usb1").orElseThrow().location());
      Partner p = c.partners().add("bob", bytes(32, 7), List.of("127.0.0.2:7722"), "bobs-house", 100, 200,
          Instant.ofEpochMilli(9));
      assertEquals("partner", c.stores().byId(p.storeId()).orElseThrow().kind());
      assertEquals("bobs-house", c.stores().byId(p.storeId()).orElseThrow().site());
    }
    try (var conn = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = conn.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      assertEquals(org.selfstorage.catalog.schema.Migrations.CURRENT, rs.getInt(1));
    }
  }

  @Test
  void aPartnerThatEndedTheAgreement_staysEndedUntilItAnswersAgain() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      Partner bob = c.partners().add("bob", bytes(32, 7), List.of("127.0.0.2:7722"), "bob", 100, 200, Instant.EPOCH);
      assertNull(bob.endedAt());
      c.partners().ended(bob.id(), Instant.ofEpochMilli(5), "it told us");
      c.partners().ended(bob.id(), Instant.ofEpochMilli(9), "it answers as to a stranger");
      Partner ended = c.partners().byName("bob").orElseThrow();
      assertEquals(Instant.ofEpochMilli(5), ended.endedAt(), "the first time is kept");
      assertEquals("it answers as to a stranger", ended.lastError());
      c.partners().seen(bob.id(), Instant.ofEpochMilli(20), null);
      Partner back = c.partners().byName("bob").orElseThrow();
      assertNull(back.endedAt());
      assertNull(back.lastError());
    }
  }

  @Test
  void partnerAudits_sumOverTheWindow_andGoWithThePartner() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      Partner bob = c.partners().add("bob", bytes(32, 7), List.of("127.0.0.2:7722"), "bob", 100, 200, Instant.EPOCH);
      Partner carol = c.partners().add("carol", bytes(32, 8), List.of("127.0.0.3:7722"), "carol", 100, 200, Instant.EPOCH);
      assertEquals(-1, c.partners().auditsSince(bob.id(), Instant.EPOCH).trust(), "nothing checked yet");
      c.partners().recordAudit(bob.id(), Instant.ofEpochMilli(1_000), 30, 0);
      c.partners().recordAudit(bob.id(), Instant.ofEpochMilli(2_000), 40, 10);
      c.partners().recordAudit(bob.id(), Instant.ofEpochMilli(3_000), 0, 0); // a round that checked nothing
      c.partners().recordAudit(carol.id(), Instant.ofEpochMilli(2_000), 10, 10);
      Partners.AuditTally all = c.partners().auditsSince(bob.id(), Instant.EPOCH);
      assertEquals(new Partners.AuditTally(70, 10), all);
      assertEquals(60.0 / 70, all.trust(), 1e-9);
      assertEquals(new Partners.AuditTally(40, 10), c.partners().auditsSince(bob.id(), Instant.ofEpochMilli(1_500)),
          "rounds before the window do not count");
      assertEquals(0.0, c.partners().auditsSince(carol.id(), Instant.EPOCH).trust());
      c.partners().remove(bob.id());
      assertEquals(new Partners.AuditTally(0, 0), c.partners().auditsSince(bob.id(), Instant.EPOCH));
      assertEquals(new Partners.AuditTally(10, 10), c.partners().auditsSince(carol.id(), Instant.EPOCH));
    }
  }

  @Test
  void partner_agreementAndContact_roundTrip_andRemovalTakesItsStore() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      Partner p = c.partners().add("bob", bytes(32, 7), List.of("127.0.0.2:7722", "[::1]:7722"), "bob", 100, 200,
          Instant.ofEpochMilli(9));
      assertEquals(List.of("127.0.0.2:7722", "[::1]:7722"), p.addresses());
      assertArrayEquals(bytes(32, 7), c.partners().byPublicKey(bytes(32, 7)).orElseThrow().publicKey());
      assertTrue(c.partners().byPublicKey(bytes(32, 8)).isEmpty());
      c.partners().failed(p.id(), "connection refused");
      assertEquals("connection refused", c.partners().byName("bob").orElseThrow().lastError());
      c.partners().seen(p.id(), Instant.ofEpochMilli(50), 1234L);
      Partner seen = c.partners().byName("bob").orElseThrow();
      assertEquals(null, seen.lastError());
      assertEquals(1234L, seen.reportedUsed());
      assertEquals(Instant.ofEpochMilli(50), seen.lastSeen());
      // a second agreement with the same key is refused by the schema
      assertThrows(CatalogException.class, () -> c.partners().add("bob2", bytes(32, 7), List.of("h:1"), "b2", 1, 1,
          Instant.EPOCH));
      assertTrue(c.stores().byName("bob2").isEmpty(), "the failed add left its store behind");
      c.partners().revoke(p.id(), Instant.ofEpochMilli(60));
      assertEquals(Instant.ofEpochMilli(60), c.partners().byName("bob").orElseThrow().revokedAt());
      c.partners().remove(p.id());
      assertTrue(c.partners().list().isEmpty());
      assertTrue(c.stores().byName("bob").isEmpty());
    }
  }

  @Test
  void invitation_isUsedAtMostOnce() {
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      c.invitations().add(bytes(8, 1), bytes(16, 2), 500, Instant.ofEpochMilli(1), Instant.ofEpochMilli(1000));
      assertTrue(c.invitations().markUsed(bytes(8, 1), "bob", Instant.ofEpochMilli(5)));
      assertTrue(!c.invitations().markUsed(bytes(8, 1), "carol", Instant.ofEpochMilli(6)));
      Invitations.Issued i = c.invitations().byId(bytes(8, 1)).orElseThrow();
      assertEquals("bob", i.usedBy());
      assertTrue(!i.toString().contains("0202"), "the secret must not be printed");
      assertEquals(1, c.invitations().purgeExpired(Instant.ofEpochMilli(2000)));
    }
  }

  /**
   * Two processes share the catalog (the agent and a command acting directly). A transaction that
   * reads and then writes must wait for the other writer, not fail: in WAL mode a deferred
   * transaction whose snapshot went stale fails at its first write whatever busy_timeout says.
   */
  @Test
  void transactionThatReadsThenWrites_waitsForAnotherWriter_insteadOfFailing() throws Exception {
    Path file = dir.resolve("catalog.db");
    try (Catalog a = Catalog.open(file); Catalog b = Catalog.open(file)) {
      a.settings().put("k", "0");
      CountDownLatch read = new CountDownLatch(1);
      CountDownLatch written = new CountDownLatch(1);
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        try {
          read.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        b.settings().put("other", "1");
        written.countDown();
      });
      a.inTransaction(() -> {
        String before = a.settings().get("k").orElseThrow();
        read.countDown();
        try {
          // the other writer either commits now (a stale snapshot here) or waits for this
          // transaction to end: a bound, not a synchronisation
          written.await(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        a.settings().put("k", before + "+1");
        return null;
      });
      other.get(20, TimeUnit.SECONDS);
      assertEquals("0+1", b.settings().get("k").orElseThrow());
      assertEquals("1", a.settings().get("other").orElseThrow());
    }
  }
}
