package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Webhooks told about events. Validation of URLs, formats and codes belongs to the agent. */
public final class Webhooks {
  /** One webhook; {@code events} is a comma-separated list of codes, or null for every event. */
  public record Row(long id, String url, String format, String minSeverity, String events, Instant addedAt) {
    @Override
    public String toString() {
      return "Webhook[" + id + ", " + format + "]"; // the URL may hold a token
    }
  }

  private final Db db;

  Webhooks(Db db) {
    this.db = db;
  }

  public Row add(String url, String format, String minSeverity, String events, Instant now) {
    return db.inTransaction(() -> {
      db.update("INSERT INTO webhooks(url, format, min_severity, events, added_at) VALUES (?, ?, ?, ?, ?)", st -> {
        st.setString(1, url);
        st.setString(2, format);
        st.setString(3, minSeverity);
        st.setString(4, events);
        st.setLong(5, now.toEpochMilli());
      });
      long id = db.queryOne("SELECT last_insert_rowid()", Db.NONE, rs -> rs.getLong(1)).orElseThrow();
      return byId(id).orElseThrow();
    });
  }

  public List<Row> list() {
    return db.query("SELECT id, url, format, min_severity, events, added_at FROM webhooks ORDER BY id", Db.NONE,
        Webhooks::map);
  }

  public Optional<Row> byId(long id) {
    return db.queryOne("SELECT id, url, format, min_severity, events, added_at FROM webhooks WHERE id = ?",
        st -> st.setLong(1, id), Webhooks::map);
  }

  /** Returns whether there was such a webhook. */
  public boolean remove(long id) {
    return db.update("DELETE FROM webhooks WHERE id = ?", st -> st.setLong(1, id)) == 1;
  }

  private static Row map(ResultSet rs) throws SQLException {
    return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }
}
