package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

public final class Blobs {
  private static final String COLUMNS = "id, pack_id, offset, length, raw_length, type";
  private final Db db;

  Blobs(Db db) {
    this.db = db;
  }

  public Optional<BlobEntry> get(BlobId id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM blobs WHERE id = ?", st -> st.setBytes(1, id.bytes()), Blobs::map);
  }

  public List<BlobEntry> inPack(PackId pack) {
    return db.query("SELECT " + COLUMNS + " FROM blobs WHERE pack_id = ? ORDER BY offset",
        st -> st.setBytes(1, pack.bytes()), Blobs::map);
  }

  /** Streams every blob id without building a list, for the in-memory dedupe index. */
  public void forEachId(Consumer<byte[]> action) {
    db.query("SELECT id FROM blobs", Db.NONE, rs -> {
      action.accept(rs.getBytes(1));
      return null;
    });
  }

  public long count() {
    return db.count("SELECT count(*) FROM blobs");
  }

  /** How many blobs of a type, their plaintext bytes, and their bytes as stored in packs (compressed, sealed). */
  public record Totals(long count, long rawBytes, long storedBytes) {}

  public Totals totals(BlobType type) {
    return db.queryOne("SELECT count(*), coalesce(sum(raw_length), 0), coalesce(sum(length), 0) FROM blobs WHERE type = ?",
        st -> st.setInt(1, type.code()), rs -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .orElse(new Totals(0, 0, 0));
  }

  private static BlobEntry map(ResultSet rs) throws SQLException {
    return new BlobEntry(new BlobId(rs.getBytes(1)), new PackId(rs.getBytes(2)), rs.getInt(3), rs.getInt(4),
        rs.getInt(5), BlobType.fromCode(rs.getInt(6)));
  }
}
