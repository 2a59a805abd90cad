package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The partners table: who we have agreements with, on what terms, and when we last heard of them. */
public final class Partners {
  private static final String COLUMNS = "id, name, public_key, addresses, store_id, hosts_for_them, hosts_for_us, "
      + "paired_at, last_seen, last_error, reported_used, revoked_at, epoch, ended_at";
  private final Db db;
  private final Stores stores;

  Partners(Db db, Stores stores) {
    this.db = db;
    this.stores = stores;
  }

  /**
   * Records an agreement and the partner's store (kind {@code partner}, named like the partner, on
   * the given site) in one transaction.
   */
  public Partner add(String name, byte[] publicKey, List<String> addresses, String site, long hostsForThem,
      long hostsForUs, Instant now) {
    return db.inTransaction(() -> {
      Store store = stores.add(name, "partner", name, site, now);
      db.update("INSERT INTO partners(name, public_key, addresses, store_id, hosts_for_them, hosts_for_us, paired_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?)", st -> {
            st.setString(1, name);
            st.setBytes(2, publicKey);
            st.setString(3, String.join(",", addresses));
            st.setLong(4, store.id());
            st.setLong(5, hostsForThem);
            st.setLong(6, hostsForUs);
            st.setLong(7, now.toEpochMilli());
          });
      return byName(name).orElseThrow();
    });
  }

  public List<Partner> list() {
    return db.query("SELECT " + COLUMNS + " FROM partners ORDER BY name", Db.NONE, Partners::map);
  }

  public Optional<Partner> byName(String name) {
    return db.queryOne("SELECT " + COLUMNS + " FROM partners WHERE name = ?", st -> st.setString(1, name),
        Partners::map);
  }

  public Optional<Partner> byPublicKey(byte[] publicKey) {
    return db.queryOne("SELECT " + COLUMNS + " FROM partners WHERE public_key = ?", st -> st.setBytes(1, publicKey),
        Partners::map);
  }

  public Optional<Partner> byStore(long storeId) {
    return db.queryOne("SELECT " + COLUMNS + " FROM partners WHERE store_id = ?", st -> st.setLong(1, storeId),
        Partners::map);
  }

  /**
   * A successful contact: clears the last error (and an end of the agreement: the partner evidently
   * keeps it), and records what the partner says it keeps for us.
   */
  public void seen(long id, Instant when, Long reportedUsed) {
    db.update("UPDATE partners SET last_seen = ?, last_error = NULL, ended_at = NULL, "
        + "reported_used = COALESCE(?, reported_used) WHERE id = ?", st -> {
          st.setLong(1, when.toEpochMilli());
          st.setObject(2, reportedUsed);
          st.setLong(3, id);
        });
  }

  /**
   * The partner ended our agreement from its side ({@code why}: how we learned it); kept until its
   * next successful contact. The first time is kept.
   */
  public void ended(long id, Instant when, String why) {
    db.update("UPDATE partners SET ended_at = COALESCE(ended_at, ?), last_error = ? WHERE id = ?", st -> {
      st.setLong(1, when.toEpochMilli());
      st.setString(2, why);
      st.setLong(3, id);
    });
  }

  public void failed(long id, String error) {
    db.update("UPDATE partners SET last_error = ? WHERE id = ?", st -> {
      st.setString(1, error);
      st.setLong(2, id);
    });
  }

  public void setQuotas(long id, long hostsForThem, long hostsForUs) {
    db.update("UPDATE partners SET hosts_for_them = ?, hosts_for_us = ? WHERE id = ?", st -> {
      st.setLong(1, hostsForThem);
      st.setLong(2, hostsForUs);
      st.setLong(3, id);
    });
  }

  public void setAddresses(long id, List<String> addresses) {
    db.update("UPDATE partners SET addresses = ? WHERE id = ?", st -> {
      st.setString(1, String.join(",", addresses));
      st.setLong(2, id);
    });
  }

  /** Records a higher epoch the partner declared (never lowers it); true when it rose. */
  public boolean raiseEpoch(long id, long epoch) {
    return db.update("UPDATE partners SET epoch = ? WHERE id = ? AND epoch < ?", st -> {
      st.setLong(1, epoch);
      st.setLong(2, id);
      st.setLong(3, epoch);
    }) == 1;
  }

  /** Checks and failures of a partner's audits over a window: its trust score is the share passed. */
  public record AuditTally(long checks, long failures) {
    /** The share of checks passed, 0 to 1; -1 when nothing was checked. */
    public double trust() {
      return checks == 0 ? -1 : (double) (checks - failures) / checks; // recordAudit keeps failures <= checks
    }
  }

  /** Records what one audit round found at a partner (nothing when it checked nothing). */
  public void recordAudit(long id, Instant at, int checks, int failures) {
    if (checks <= 0 && failures <= 0) {
      return;
    }
    db.update("INSERT INTO partner_audits(partner_id, at, checks, failures) VALUES (?, ?, ?, ?)", st -> {
      st.setLong(1, id);
      st.setLong(2, at.toEpochMilli());
      st.setInt(3, Math.max(checks, failures)); // a failure is a check, so trust stays within 0..1
      st.setInt(4, failures);
    });
  }

  /** The partner's audit checks and failures from {@code since} on. */
  public AuditTally auditsSince(long id, Instant since) {
    return db.queryOne("SELECT COALESCE(SUM(checks), 0), COALESCE(SUM(failures), 0) FROM partner_audits "
        + "WHERE partner_id = ? AND at >= ?", st -> {
          st.setLong(1, id);
          st.setLong(2, since.toEpochMilli());
        }, rs -> new AuditTally(rs.getLong(1), rs.getLong(2))).orElse(new AuditTally(0, 0));
  }

  /** Revokes the partner's key: from now on it cannot log in (the agreement stays until removed). */
  public void revoke(long id, Instant now) {
    db.update("UPDATE partners SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", st -> {
      st.setLong(1, now.toEpochMilli());
      st.setLong(2, id);
    });
  }

  /** Deletes the agreement and the partner's store; its shard records must be gone already. */
  public void remove(long id) {
    db.inTransaction(() -> {
      Optional<Partner> p = queryById(id);
      db.update("DELETE FROM partners WHERE id = ?", st -> st.setLong(1, id));
      p.ifPresent(partner -> stores.remove(partner.storeId()));
      return null;
    });
  }

  private Optional<Partner> queryById(long id) {
    return db.queryOne("SELECT " + COLUMNS + " FROM partners WHERE id = ?", st -> st.setLong(1, id), Partners::map);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  private static Partner map(ResultSet rs) throws SQLException {
    String addresses = rs.getString(4);
    Instant seen = instant(rs, 9);
    long used = rs.getLong(11);
    Long reported = rs.wasNull() ? null : used;
    Instant revokedAt = instant(rs, 12);
    return new Partner(rs.getLong(1), rs.getString(2), rs.getBytes(3),
        addresses.isEmpty() ? List.of() : Arrays.asList(addresses.split(",")), rs.getLong(5), rs.getLong(6),
        rs.getLong(7), Instant.ofEpochMilli(rs.getLong(8)), seen, rs.getString(10), reported, revokedAt, rs.getLong(13),
        instant(rs, 14));
  }
}
