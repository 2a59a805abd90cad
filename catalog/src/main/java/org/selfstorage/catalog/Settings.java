package org.selfstorage.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Key/value settings such as {@code redundancy.tolerate}. Validation belongs to the agent. */
public final class Settings {
  private final Db db;

  Settings(Db db) {
    this.db = db;
  }

  public Optional<String> get(String key) {
    return db.queryOne("SELECT value FROM settings WHERE key = ?", st -> st.setString(1, key), rs -> rs.getString(1));
  }

  public void put(String key, String value) {
    db.update("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        st -> {
          st.setString(1, key);
          st.setString(2, value);
        });
  }

  public void delete(String key) {
    db.update("DELETE FROM settings WHERE key = ?", st -> st.setString(1, key));
  }

  public Map<String, String> all() {
    Map<String, String> out = new LinkedHashMap<>();
    db.query("SELECT key, value FROM settings ORDER BY key", Db.NONE, rs -> out.put(rs.getString(1), rs.getString(2)));
    return out;
  }
}
