package org.selfstorage.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import org.selfstorage.catalog.schema.Migrations;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite catalog of one home: the only owner of its connection. It is a cache of what the
 * stores hold; losing it costs a rebuild, never data.
 */
public final class Catalog implements AutoCloseable {
  private final Path file;
  private final Db db;
  private final Settings settings;
  private final Stores stores;
  private final Sources sources;
  private final Snapshots snapshots;
  private final Packs packs;
  private final Blobs blobs;
  private final Shards shards;
  private final Trees trees;
  private final Events events;
  private final Partners partners;
  private final Invitations invitations;
  private final Policies policies;
  private final Audits audits;
  private final Webhooks webhooks;
  private final Conditions conditions;

  private Catalog(Path file, Connection connection) {
    this.file = file;
    this.db = new Db(connection);
    this.settings = new Settings(db);
    this.stores = new Stores(db);
    this.sources = new Sources(db);
    this.snapshots = new Snapshots(db);
    this.packs = new Packs(db);
    this.blobs = new Blobs(db);
    this.shards = new Shards(db);
    this.trees = new Trees(db);
    this.events = new Events(db);
    this.partners = new Partners(db, stores);
    this.invitations = new Invitations(db);
    this.policies = new Policies(db);
    this.audits = new Audits(db);
    this.webhooks = new Webhooks(db);
    this.conditions = new Conditions(db);
  }

  /** Opens (creating if needed) the catalog file and migrates it to the current schema. */
  public static Catalog open(Path file) {
    Connection c = null;
    SqliteLibrary.useCachedCopy();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      // IMMEDIATE: a transaction takes the write lock when it begins, waiting (busy_timeout) for
      // another process's writer. A deferred one that read first and then writes after another
      // process committed fails at once with SQLITE_BUSY_SNAPSHOT, whatever busy_timeout says.
      SQLiteConfig config = new SQLiteConfig();
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 10000");
        st.execute("PRAGMA journal_mode = WAL");
        // FULL: a committed pack or snapshot survives a power cut, not only a crash.
        st.execute("PRAGMA synchronous = FULL");
        st.execute("PRAGMA foreign_keys = ON");
      }
      int version = Migrations.version(c);
      if (version > Migrations.CURRENT) {
        throw new SchemaTooNewException(version, Migrations.CURRENT);
      }
      Migrations.migrate(c, version);
      return new Catalog(file, c);
    } catch (SQLException e) {
      closeQuietly(c);
      String m = String.valueOf(e.getMessage());
      if (m.contains("NOTADB") || m.contains("CORRUPT") || m.contains("malformed") || m.contains("not a database")) {
        throw new CatalogCorruptException(file, m, e);
      }
      throw new CatalogException("CATALOG_UNAVAILABLE", "cannot open the catalog " + file + ": " + m, e);
    } catch (java.io.IOException e) {
      throw new CatalogException("CATALOG_UNAVAILABLE", "cannot create the catalog's directory for " + file, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  public Path file() {
    return file;
  }

  public Settings settings() {
    return settings;
  }

  public Stores stores() {
    return stores;
  }

  public Sources sources() {
    return sources;
  }

  public Snapshots snapshots() {
    return snapshots;
  }

  public Packs packs() {
    return packs;
  }

  public Blobs blobs() {
    return blobs;
  }

  public Shards shards() {
    return shards;
  }

  public Trees trees() {
    return trees;
  }

  public Partners partners() {
    return partners;
  }

  public Policies policies() {
    return policies;
  }

  public Audits audits() {
    return audits;
  }

  public Invitations invitations() {
    return invitations;
  }

  public Events events() {
    return events;
  }

  public Webhooks webhooks() {
    return webhooks;
  }

  public Conditions conditions() {
    return conditions;
  }

  /** Runs work in one transaction; accessor calls inside it join it. */
  public <T> T inTransaction(Supplier<T> work) {
    return db.inTransaction(work::get);
  }

  /** SQLite's own structural check; returns "ok" or the problems found. */
  /**
   * Writes a consistent copy of the catalog to {@code target} (which must not exist) for recovery
   * after losing the home: everything but what can be rebuilt (the tree cache, which the tree packs
   * hold) and what must not leave the home (invitation secrets, the event log).
   */
  public void exportForRecovery(Path target) {
    db.locked(() -> {
      try (Statement st = db.connection.createStatement()) {
        st.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
      }
      return null;
    });
    try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + target.toAbsolutePath());
        Statement st = copy.createStatement()) {
      st.execute("DELETE FROM trees");
      st.execute("DELETE FROM invitations");
      st.execute("DELETE FROM events");
      st.execute("VACUUM");
    } catch (SQLException e) {
      throw Db.translate(e);
    }
  }

  public String integrityCheck() {
    return String.join("; ", db.query("PRAGMA quick_check", Db.NONE, rs -> rs.getString(1)));
  }

  @Override
  public void close() {
    db.locked(() -> {
      db.connection.close();
      return null;
    });
  }
}
