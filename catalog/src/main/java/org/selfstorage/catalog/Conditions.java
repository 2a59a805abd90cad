package org.selfstorage.catalog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last state the running agent saw of each thing it watches, keyed by subject (such as {@code
 * partner:bob}): a change of state is an event, the same state seen again is not.
 */
public final class Conditions {
  /** A state and when it began. */
  public record State(String state, Instant since) {}

  private final Db db;

  Conditions(Db db) {
    this.db = db;
  }

  public Optional<State> get(String subject) {
    return db.queryOne("SELECT state, since FROM conditions WHERE subject = ?", st -> st.setString(1, subject),
        rs -> new State(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
  }

  public Map<String, State> all() {
    Map<String, State> out = new LinkedHashMap<>();
    db.query("SELECT subject, state, since FROM conditions ORDER BY subject", Db.NONE,
        rs -> out.put(rs.getString(1), new State(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)))));
    return out;
  }

  public void put(String subject, String state, Instant since) {
    db.update("INSERT INTO conditions(subject, state, since) VALUES (?, ?, ?) ON CONFLICT(subject) DO UPDATE SET "
        + "state = excluded.state, since = excluded.since", st -> {
          st.setString(1, subject);
          st.setString(2, state);
          st.setLong(3, since.toEpochMilli());
        });
  }

  public void remove(String subject) {
    db.update("DELETE FROM conditions WHERE subject = ?", st -> st.setString(1, subject));
  }
}
