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
          "INSERT OR IGNORE INTO blobs(id, pack_id, offset, length, raw_length, type) VALUES (?, ?, ?, ?, ?, ?)")) {
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

  private static Pack map(ResultSet rs) throws SQLException {
    return new Pack(new PackId(rs.getBytes(1)), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }
}
