package org.selfstorage.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class Packs {
  private static final String COLUMNS = "id, length, data_shards, parity_shards, shard_length, created_at";
  private final Db db;

  Packs(Db db) {
    this.db = db;
  }

  /** Records a pack, its blobs and its shards at once: they become visible together or not at all. */
  public void add(Pack pack, List<BlobEntry> blobs, List<ShardRecord> shards) {
    add(pack, blobs, shards, "INSERT OR IGNORE");
  }

  /**
   * Records a pack that holds blobs moved out of older packs (prune's repacking): its entries
   * replace the blobs' old locations, in the same transaction as the pack.
   */
  public void addRepacked(Pack pack, List<BlobEntry> blobs, List<ShardRecord> shards) {
    add(pack, blobs, shards, "INSERT OR REPLACE");
  }

  /**
   * Forgets a pack in one transaction: its remaining blob entries and its pack record go, and its
   * shard records become pending deletions (the files are deleted afterwards).
   */
  public void retire(PackId pack, java.time.Instant now) {
    db.inTransaction(() -> {
      byte[] id = pack.bytes();
      try (PreparedStatement st = db.connection.prepareStatement(
          "INSERT OR IGNORE INTO pending_deletes(pack_id, idx, store_id, since) SELECT pack_id, idx, store_id, ? "
              + "FROM shards WHERE pack_id = ?")) {
        st.setLong(1, now.toEpochMilli());
        st.setBytes(2, id);
        st.executeUpdate();
      }
      for (String sql : List.of("DELETE FROM shards WHERE pack_id = ?", "DELETE FROM blobs WHERE pack_id = ?",
          "DELETE FROM packs WHERE id = ?")) {
        try (PreparedStatement st = db.connection.prepareStatement(sql)) {
          st.setBytes(1, id);
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Shard files waiting to be deleted: pack, index and store of each. */
  public List<ShardRecord> pendingDeletes() {
    return db.query("SELECT pack_id, idx, store_id FROM pending_deletes ORDER BY since", Db.NONE,
        rs -> new ShardRecord(new PackId(rs.getBytes(1)), rs.getInt(2), rs.getLong(3), new byte[32]));
  }

  /** The file of a pending deletion is gone. */
  public void deleted(PackId pack, int index, long storeId) {
    db.update("DELETE FROM pending_deletes WHERE pack_id = ? AND idx = ? AND store_id = ?", st -> {
      st.setBytes(1, pack.bytes());
      st.setInt(2, index);
      st.setLong(3, storeId);
    });
  }

  private void add(Pack pack, List<BlobEntry> blobs, List<ShardRecord> shards, String insert) {
    db.inTransaction(() -> {
      try (PreparedStatement st = db.connection.prepareStatement("INSERT INTO packs(" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
        st.setBytes(1, pack.id().bytes());
        st.setLong(2, pack.length());
        st.setInt(3, pack.dataShards());
        st.setInt(4, pack.parityShards());
        st.setLong(5, pack.shardLength());
        st.setLong(6, pack.createdAt().toEpochMilli());
        st.executeUpdate();
      }
      try (PreparedStatement st = db.connection.prepareStatement(
          insert + " INTO blobs(id, pack_id, offset, length, raw_length, type) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (BlobEntry b : blobs) {
          st.setBytes(1, b.id().bytes());
          st.setBytes(2, b.packId().bytes());
          st.setInt(3, b.offset());
          st.setInt(4, b.length());
          st.setInt(5, b.rawLength());
          st.setInt(6, b.type().code());
          st.addBatch();
        }
        st.executeBatch();
      }
      Shards.insert(db, shards);
      return null;
    });
  }

  public Optional<Pack> get(PackId id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM packs WHERE id = ?", st -> st.setBytes(1, id.bytes()), Packs::map);
  }

  public List<Pack> list() {
    return db.query("SELECT " + COLUMNS + " FROM packs ORDER BY created_at, id", Db.NONE, Packs::map);
  }

  public long count() {
    return db.count("SELECT count(*) FROM packs");
  }

  /** Bytes of every pack before erasure coding. */
  public long bytes() {
    return db.count("SELECT coalesce(sum(length), 0) FROM packs");
  }

  private static Pack map(ResultSet rs) throws SQLException {
    return new Pack(new PackId(rs.getBytes(1)), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }
}
