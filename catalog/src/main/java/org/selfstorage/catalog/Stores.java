package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class Stores {
  private static final String COLUMNS = "id, name, kind, location, site, added_at";
  private final Db db;

  Stores(Db db) {
    this.db = db;
  }

  public Store add(String name, String kind, String location, String site, Instant now) {
    db.update("INSERT INTO stores(name, kind, location, site, added_at) VALUES (?, ?, ?, ?, ?)", st -> {
      st.setString(1, name);
      st.setString(2, kind);
      st.setString(3, location);
      st.setString(4, site);
      st.setLong(5, now.toEpochMilli());
    });
    return byName(name).orElseThrow();
  }

  public List<Store> list() {
    return db.query("SELECT " + COLUMNS + " FROM stores ORDER BY id", Db.NONE, Stores::map);
  }

  public Optional<Store> byName(String name) {
    return db.queryOne("SELECT " + COLUMNS + " FROM stores WHERE name = ?", st -> st.setString(1, name), Stores::map);
  }

  public Optional<Store> byId(long id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM stores WHERE id = ?", st -> st.setLong(1, id), Stores::map);
  }

  public void setSite(long id, String site) {
    db.update("UPDATE stores SET site = ? WHERE id = ?", st -> {
      st.setString(1, site);
      st.setLong(2, id);
    });
  }

  public void remove(long id) {
    db.update("DELETE FROM stores WHERE id = ?", st -> st.setLong(1, id));
  }

  private static Store map(ResultSet rs) throws SQLException {
    return new Store(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }
}
