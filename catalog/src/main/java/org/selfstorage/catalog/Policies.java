package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Retention policies by source. */
public final class Policies {
  /**
   * The stored rules: counts (0 off, -1 unlimited), keep-within in seconds (0 off), and the tags
   * whose snapshots are kept (tags hold no commas: the column joins them with one).
   */
  public record Rules(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly,
      long keepWithinSeconds, List<String> keepTags) {
    public Rules {
      keepTags = List.copyOf(keepTags);
    }

    public Rules(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly,
        long keepWithinSeconds) {
      this(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithinSeconds, List.of());
    }
  }

  private final Db db;

  Policies(Db db) {
    this.db = db;
  }

  public void set(long sourceId, Rules r) {
    db.update("INSERT OR REPLACE INTO policies(source_id, keep_last, keep_hourly, keep_daily, keep_weekly, "
        + "keep_monthly, keep_yearly, keep_within_s, keep_tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", st -> {
          st.setLong(1, sourceId);
          st.setInt(2, r.keepLast());
          st.setInt(3, r.keepHourly());
          st.setInt(4, r.keepDaily());
          st.setInt(5, r.keepWeekly());
          st.setInt(6, r.keepMonthly());
          st.setInt(7, r.keepYearly());
          st.setLong(8, r.keepWithinSeconds());
          st.setString(9, String.join(",", r.keepTags()));
        });
  }

  /** Deletes a source's policy (it then keeps everything, until the source itself goes). */
  public void delete(long sourceId) {
    db.update("DELETE FROM policies WHERE source_id = ?", st -> st.setLong(1, sourceId));
  }

  public Optional<Rules> of(long sourceId) {
    return db.queryOne("SELECT keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly, "
        + "keep_within_s, keep_tags FROM policies WHERE source_id = ?", st -> st.setLong(1, sourceId), Policies::map);
  }

  private static Rules map(ResultSet rs) throws SQLException {
    return new Rules(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
        rs.getLong(7), rs.getString(8).isEmpty() ? List.of() : List.of(rs.getString(8).split(",")));
  }
}
