package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class Sources {
  private static final String COLUMNS = "id, name, path, added_at, schedule, last_scheduled, excludes, "
      + "one_file_system, exclude_caches, exclude_larger_than";
  private final Db db;

  Sources(Db db) {
    this.db = db;
  }

  public Source add(String name, String path, Instant now) {
    db.update("INSERT INTO sources(name, path, added_at) VALUES (?, ?, ?)", st -> {
      st.setString(1, name);
      st.setString(2, path);
      st.setLong(3, now.toEpochMilli());
    });
    return byName(name).orElseThrow();
  }

  public List<Source> list() {
    return db.query("SELECT " + COLUMNS + " FROM sources ORDER BY name", Db.NONE, Sources::map);
  }

  public Optional<Source> byName(String name) {
    return db.queryOne("SELECT " + COLUMNS + " FROM sources WHERE name = ?", st -> st.setString(1, name),
        Sources::map);
  }

  public Optional<Source> byId(long id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM sources WHERE id = ?", st -> st.setLong(1, id),
        Sources::map);
  }

  /** Sets (or with null clears) a source's schedule. */
  public void setSchedule(long id, String schedule) {
    db.update("UPDATE sources SET schedule = ? WHERE id = ?", st -> {
      st.setString(1, schedule);
      st.setLong(2, id);
    });
  }

  /** Replaces what a source's backups leave out (patterns without newlines). */
  public void setExcludes(long id, List<String> patterns) {
    db.update("UPDATE sources SET excludes = ? WHERE id = ?", st -> {
      st.setString(1, String.join("\n", patterns));
      st.setLong(2, id);
    });
  }

  /** Sets whether a source's backups leave out other file systems and marked caches. */
  public void setFlags(long id, boolean oneFileSystem, boolean excludeCaches) {
    db.update("UPDATE sources SET one_file_system = ?, exclude_caches = ? WHERE id = ?", st -> {
      st.setInt(1, oneFileSystem ? 1 : 0);
      st.setInt(2, excludeCaches ? 1 : 0);
      st.setLong(3, id);
    });
  }

  /** Deletes a source; its snapshots and policy must be gone first (they refer to it). */
  public void delete(long id) {
    db.update("DELETE FROM sources WHERE id = ?", st -> st.setLong(1, id));
  }

  /** Sets the size over which a source's files are left out (null: none). */
  public void setExcludeLargerThan(long id, Long bytes) {
    db.update("UPDATE sources SET exclude_larger_than = ? WHERE id = ?", st -> {
      st.setObject(1, bytes);
      st.setLong(2, id);
    });
  }

  /** Records that the agent started a scheduled run of the source at {@code when}. */
  public void scheduledRunStarted(long id, Instant when) {
    db.update("UPDATE sources SET last_scheduled = ? WHERE id = ?", st -> {
      st.setLong(1, when.toEpochMilli());
      st.setLong(2, id);
    });
  }

  private static Long largerThan(ResultSet rs) throws SQLException {
    long bytes = rs.getLong(10);
    return rs.wasNull() ? null : bytes;
  }

  private static Source map(ResultSet rs) throws SQLException {
    long last = rs.getLong(6);
    Instant lastScheduled = rs.wasNull() ? null : Instant.ofEpochMilli(last);
    return new Source(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
        rs.getString(5), lastScheduled, rs.getString(7).isEmpty() ? List.of() : List.of(rs.getString(7).split("\n")),
        rs.getInt(8) != 0, rs.getInt(9) != 0, largerThan(rs));
  }
}
