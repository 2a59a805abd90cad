package org.selfstorage.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.selfstorage.catalog.schema.Migrations;

/**
 * A catalog written by any earlier version (every schema from V001 on, with rows in it) opens with
 * the current code: its data kept, its schema current, its integrity intact, and the features of
 * the later versions usable on it.
 */
class MigrationsFromEveryVersionTest {
  @TempDir Path dir;

  static List<Integer> earlierVersions() {
    return java.util.stream.IntStream.rangeClosed(1, Migrations.CURRENT).boxed().toList();
  }

  @ParameterizedTest(name = "from schema version {0}")
  @MethodSource("earlierVersions")
  void catalogOfAnEarlierVersion_opensWithItsDataAndCurrentSchema(int version) throws Exception {
    Path file = dir.resolve("catalog-v" + version + ".db");
    byte[] key = new byte[32];
    key[0] = 42;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      Migrations.migrate(c, 0, version);
      st.execute("INSERT INTO settings(key, value) VALUES ('redundancy.tolerate', '2')");
      st.execute("INSERT INTO stores(id, name, kind, location, site, added_at) VALUES (1, 'usb1', 'local', '/mnt/usb1',"
          + " 'home', 5)");
      st.execute("INSERT INTO sources(id, name, path, added_at) VALUES (1, 'docs', '/home/me/docs', 6)");
      if (version >= 2) {
        st.execute("INSERT INTO stores(id, name, kind, location, site, added_at) VALUES (2, 'bob', 'partner', 'bob',"
            + " 'bobs-house', 7)");
        try (var ps = c.prepareStatement("INSERT INTO partners(name, public_key, addresses, store_id, hosts_for_them,"
            + " hosts_for_us, paired_at) VALUES ('bob', ?, '127.0.0.2:7722', 2, 100, 200, 8)")) {
          ps.setBytes(1, key);
          ps.executeUpdate();
        }
      }
    }
    try (Catalog c = Catalog.open(file)) {
      assertEquals("2", c.settings().get("redundancy.tolerate").orElseThrow());
      assertEquals("/mnt/usb1", c.stores().byName("usb1").orElseThrow().location());
      Source docs = c.sources().byName("docs").orElseThrow();
      assertEquals("/home/me/docs", docs.path());
      if (version >= 2) {
        Partner bob = c.partners().byName("bob").orElseThrow();
        assertArrayEquals(key, bob.publicKey());
        assertEquals(List.of("127.0.0.2:7722"), bob.addresses());
        assertEquals(200, bob.hostsForUs());
        assertEquals(0, bob.epoch(), "partners paired before epochs existed are at epoch 0");
      }
      // what later versions added works on the migrated catalog
      c.sources().setSchedule(docs.id(), "daily");
      assertEquals("daily", c.sources().byName("docs").orElseThrow().schedule());
      c.policies().set(docs.id(), new Policies.Rules(3, 0, 7, 0, 0, 0, 0, List.of("keep")));
      assertEquals(3, c.policies().of(docs.id()).orElseThrow().keepLast());
      assertEquals(List.of("keep"), c.policies().of(docs.id()).orElseThrow().keepTags());
      c.partners().add("carol", new byte[32], List.of("127.0.0.3:7722"), "carols", 1, 2, Instant.ofEpochMilli(9));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      assertEquals(Migrations.CURRENT, Migrations.version(c));
      try (var rs = st.executeQuery("PRAGMA integrity_check")) {
        assertTrue(rs.next());
        assertEquals("ok", rs.getString(1));
      }
    }
  }
}
