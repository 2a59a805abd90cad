package org.selfstorage.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Invitations this agent issued, until they are used or expire. */
public final class Invitations {
  /** One issued invitation; {@code usedAt} and {@code usedBy} are null until someone joins with it. */
  public record Issued(byte[] id, byte[] secret, long quota, Instant createdAt, Instant expiresAt, Instant usedAt,
      String usedBy) {
    public Issued {
      id = id.clone();
      secret = secret.clone();
    }

    @Override
    public byte[] id() {
      return id.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public String toString() {
      return "Issued[" + java.util.HexFormat.of().formatHex(id) + ", quota " + quota + ", expires " + expiresAt
          + (usedBy == null ? "" : ", used by " + usedBy) + "]";
    }
  }

  private final Db db;

  Invitations(Db db) {
    this.db = db;
  }

  public void add(byte[] id, byte[] secret, long quota, Instant now, Instant expiresAt) {
    db.update("INSERT INTO invitations(id, secret, quota, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", st -> {
      st.setBytes(1, id);
      st.setBytes(2, secret);
      st.setLong(3, quota);
      st.setLong(4, now.toEpochMilli());
      st.setLong(5, expiresAt.toEpochMilli());
    });
  }

  public Optional<Issued> byId(byte[] id) {
    return db.queryOne("SELECT id, secret, quota, created_at, expires_at, used_at, used_by FROM invitations "
        + "WHERE id = ?", st -> st.setBytes(1, id), Invitations::map);
  }

  /**
   * Marks an invitation used, once: false when it was used already (two joins racing with one code
   * cannot both win).
   */
  public boolean markUsed(byte[] id, String by, Instant now) {
    return db.update("UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL", st -> {
      st.setLong(1, now.toEpochMilli());
      st.setString(2, by);
      st.setBytes(3, id);
    }) == 1;
  }

  /** Unused invitations still valid at {@code now}, the soonest to expire first. */
  public java.util.List<Issued> pending(Instant now) {
    return db.query("SELECT id, secret, quota, created_at, expires_at, used_at, used_by FROM invitations "
        + "WHERE used_at IS NULL AND expires_at > ? ORDER BY expires_at", st -> st.setLong(1, now.toEpochMilli()),
        Invitations::map);
  }

  /** Forgets invitations that expired before {@code cutoff}, used or not; returns how many. */
  public int purgeExpired(Instant cutoff) {
    return db.update("DELETE FROM invitations WHERE expires_at < ?", st -> st.setLong(1, cutoff.toEpochMilli()));
  }

  private static Issued map(ResultSet rs) throws SQLException {
    long used = rs.getLong(6);
    Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
    return new Issued(rs.getBytes(1), rs.getBytes(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
        Instant.ofEpochMilli(rs.getLong(5)), usedAt, rs.getString(7));
  }
}
