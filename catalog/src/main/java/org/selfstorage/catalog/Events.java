package org.selfstorage.catalog;

import java.time.Instant;
import java.util.List;

public final class Events {
  private final Db db;

  Events(Db db) {
    this.db = db;
  }

  public void add(Instant time, String code, String severity, String message) {
    add(time, code, severity, message, null);
  }

  public void add(Instant time, String code, String severity, String message, String fix) {
    db.update("INSERT INTO events(time, code, severity, message, fix) VALUES (?, ?, ?, ?, ?)", st -> {
      st.setLong(1, time.toEpochMilli());
      st.setString(2, code);
      st.setString(3, severity);
      st.setString(4, message);
      st.setString(5, fix);
    });
  }

  private static final String COLUMNS = "id, time, code, severity, message, fix";

  /** The newest events first. */
  public List<Event> recent(int limit) {
    return db.query("SELECT " + COLUMNS + " FROM events ORDER BY id DESC LIMIT ?", st -> st.setInt(1, limit),
        Events::map);
  }

  /** The newest events with an id below {@code beforeId}, newest first: a page further back. */
  public List<Event> before(long beforeId, int limit) {
    return page("id < ?", beforeId, limit);
  }

  /** The newest events with an id above {@code afterId}, newest first: what a poller has not seen yet. */
  public List<Event> after(long afterId, int limit) {
    return page("id > ?", afterId, limit);
  }

  private List<Event> page(String where, long id, int limit) {
    return db.query("SELECT " + COLUMNS + " FROM events WHERE " + where + " ORDER BY id DESC LIMIT ?", st -> {
      st.setLong(1, id);
      st.setInt(2, limit);
    }, Events::map);
  }

  private static Event map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6));
  }
}
