package org.selfstorage.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

public final class Shards {
  private final Db db;

  Shards(Db db) {
    this.db = db;
  }

  public List<ShardRecord> ofPack(PackId pack) {
    return db.query("SELECT pack_id, idx, store_id, sha256 FROM shards WHERE pack_id = ? ORDER BY idx",
        st -> st.setBytes(1, pack.bytes()), Shards::map);
  }

  /** Streams every shard record, grouped by pack. */
  public void forEach(java.util.function.Consumer<ShardRecord> action) {
    db.query("SELECT pack_id, idx, store_id, sha256 FROM shards ORDER BY pack_id, idx", Db.NONE, rs -> {
      action.accept(map(rs));
      return null;
    });
  }

  public List<ShardRecord> onStore(long storeId) {
    return db.query("SELECT pack_id, idx, store_id, sha256 FROM shards WHERE store_id = ? ORDER BY pack_id, idx",
        st -> st.setLong(1, storeId), Shards::map);
  }

  public long countOnStore(long storeId) {
    return db.queryOne("SELECT count(*) FROM shards WHERE store_id = ?", st -> st.setLong(1, storeId),
        rs -> rs.getLong(1)).orElse(0L);
  }

  /** Bytes of every shard file recorded, on every store and partner. */
  public long bytes() {
    return db.queryOne("SELECT coalesce(sum(p.shard_length), 0) FROM shards s JOIN packs p ON p.id = s.pack_id",
        Db.NONE, rs -> rs.getLong(1)).orElse(0L);
  }

  /** Bytes of shard files recorded on a store. */
  public long bytesOnStore(long storeId) {
    return db.queryOne(
        "SELECT coalesce(sum(p.shard_length), 0) FROM shards s JOIN packs p ON p.id = s.pack_id WHERE s.store_id = ?",
        st -> st.setLong(1, storeId), rs -> rs.getLong(1)).orElse(0L);
  }

  public void add(List<ShardRecord> shards) {
    db.inTransaction(() -> {
      insert(db, shards);
      return null;
    });
  }

  public void remove(PackId pack, int index, long storeId) {
    db.update("DELETE FROM shards WHERE pack_id = ? AND idx = ? AND store_id = ?", st -> {
      st.setBytes(1, pack.bytes());
      st.setInt(2, index);
      st.setLong(3, storeId);
    });
  }

  /** Forgets every shard record on a store (a store or partner given up for good); returns how many. */
  public int removeAllOnStore(long storeId) {
    return db.update("DELETE FROM shards WHERE store_id = ?", st -> st.setLong(1, storeId));
  }

  static void insert(Db db, List<ShardRecord> shards) throws SQLException {
    try (PreparedStatement st = db.connection.prepareStatement(
        "INSERT OR REPLACE INTO shards(pack_id, idx, store_id, sha256) VALUES (?, ?, ?, ?)")) {
      for (ShardRecord s : shards) {
        st.setBytes(1, s.packId().bytes());
        st.setInt(2, s.index());
        st.setLong(3, s.storeId());
        st.setBytes(4, s.sha256());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static ShardRecord map(ResultSet rs) throws SQLException {
    return new ShardRecord(new PackId(rs.getBytes(1)), rs.getInt(2), rs.getLong(3), rs.getBytes(4));
  }
}
