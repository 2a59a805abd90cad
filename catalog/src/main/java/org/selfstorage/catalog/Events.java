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

  /** The newest events first. */
  public List<Event> recent(int limit) {
    return db.query("SELECT id, time, code, severity, message, fix FROM events ORDER BY id DESC LIMIT ?",
        st -> st.setInt(1, limit),
        rs -> new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6)));
  }

  /** The newest events with an id above {@code afterId}, newest first: what a poller has not seen yet. */
  public List<Event> after(long afterId, int limit) {
    return db.query("SELECT id, time, code, severity, message FROM events WHERE id > ? ORDER BY id DESC LIMIT ?",
        st -> {
          st.setLong(1, afterId);
          st.setInt(2, limit);
        },
        rs -> new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
            rs.getString(5)));
  }
}
