package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class Sources {
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
    return db.query("SELECT id, name, path, added_at FROM sources ORDER BY name", Db.NONE, Sources::map);
  }

  public Optional<Source> byName(String name) {
    return db.queryOne("SELECT id, name, path, added_at FROM sources WHERE name = ?", st -> st.setString(1, name),
        Sources::map);
  }

  public Optional<Source> byId(long id) {
    return db.queryOne("SELECT id, name, path, added_at FROM sources WHERE id = ?", st -> st.setLong(1, id),
        Sources::map);
  }

  private static Source map(ResultSet rs) throws SQLException {
    return new Source(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)));
  }
}
