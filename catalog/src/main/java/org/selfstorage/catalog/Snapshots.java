package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class Snapshots {
  private static final String STORED =
      "id, source_id, time, root_tree, host, files, dirs, bytes, added_bytes, incomplete";
  private static final String COLUMNS = STORED
      + ", (SELECT group_concat(tag, char(10)) FROM snapshot_tags t WHERE t.snapshot_id = snapshots.id)";
  private final Db db;

  Snapshots(Db db) {
    this.db = db;
  }

  /** Records a snapshot with its tags, in one transaction. */
  public void add(Snapshot s) {
    db.inTransaction(() -> {
      insert(s);
      addTags(s.id(), s.tags());
      return null;
    });
  }

  private void insert(Snapshot s) {
    db.update("INSERT INTO snapshots(" + STORED + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", st -> {
      st.setBytes(1, s.id().bytes());
      st.setLong(2, s.sourceId());
      st.setLong(3, s.time().toEpochMilli());
      st.setBytes(4, s.rootTree().bytes());
      st.setString(5, s.host());
      st.setLong(6, s.files());
      st.setLong(7, s.dirs());
      st.setLong(8, s.bytes());
      st.setLong(9, s.addedBytes());
      st.setLong(10, s.incompleteFiles());
    });
  }

  /** All snapshots, oldest first. */
  public List<Snapshot> list() {
    return db.query("SELECT " + COLUMNS + " FROM snapshots ORDER BY time, id", Db.NONE, Snapshots::map);
  }

  /**
   * The ids of a source's snapshots in the order they were recorded (oldest first), whatever
   * their times say: a clock set back gives the newest snapshot an old time.
   */
  public List<SnapshotId> ofSourceInRecordedOrder(long sourceId) {
    return db.query("SELECT id FROM snapshots WHERE source_id = ? ORDER BY rowid",
        st -> st.setLong(1, sourceId), rs -> new SnapshotId(rs.getBytes(1)));
  }

  public List<Snapshot> ofSource(long sourceId) {
    return db.query("SELECT " + COLUMNS + " FROM snapshots WHERE source_id = ? ORDER BY time, id",
        st -> st.setLong(1, sourceId), Snapshots::map);
  }

  public Optional<Snapshot> latestOf(long sourceId) {
    return db.queryOne("SELECT " + COLUMNS + " FROM snapshots WHERE source_id = ? ORDER BY time DESC, id DESC LIMIT 1",
        st -> st.setLong(1, sourceId), Snapshots::map);
  }

  public Optional<Snapshot> get(SnapshotId id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM snapshots WHERE id = ?", st -> st.setBytes(1, id.bytes()),
        Snapshots::map);
  }

  /** Snapshots whose hex id starts with the given lower-case hex prefix. */
  public List<Snapshot> withPrefix(String hexPrefix) {
    String p = hexPrefix.toLowerCase();
    return db.query("SELECT " + COLUMNS + " FROM snapshots WHERE lower(hex(id)) LIKE ? ORDER BY time",
        st -> st.setString(1, p + "%"), Snapshots::map);
  }

  public void delete(SnapshotId id) {
    db.inTransaction(() -> {
      db.update("DELETE FROM snapshot_tags WHERE snapshot_id = ?", st -> st.setBytes(1, id.bytes()));
      db.update("DELETE FROM snapshots WHERE id = ?", st -> st.setBytes(1, id.bytes()));
      return null;
    });
  }

  /** Adds tags to a snapshot (those it has already stay once). */
  public void addTags(SnapshotId id, java.util.Collection<String> tags) {
    eachTag("INSERT OR IGNORE INTO snapshot_tags(snapshot_id, tag) VALUES (?, ?)", id, tags);
  }

  /** Removes tags from a snapshot (those it does not have are ignored). */
  public void removeTags(SnapshotId id, java.util.Collection<String> tags) {
    eachTag("DELETE FROM snapshot_tags WHERE snapshot_id = ? AND tag = ?", id, tags);
  }

  private void eachTag(String sql, SnapshotId id, java.util.Collection<String> tags) {
    db.inTransaction(() -> {
      for (String tag : tags) {
        db.update(sql, st -> {
          st.setBytes(1, id.bytes());
          st.setString(2, tag);
        });
      }
      return null;
    });
  }

  public long count() {
    return db.count("SELECT count(*) FROM snapshots");
  }

  private static Snapshot map(ResultSet rs) throws SQLException {
    return new Snapshot(new SnapshotId(rs.getBytes(1)), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
        new BlobId(rs.getBytes(4)), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
        rs.getLong(10), rs.getString(11) == null ? List.of() : List.of(rs.getString(11).split("\n")));
  }
}
