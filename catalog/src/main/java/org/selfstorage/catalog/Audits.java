package org.selfstorage.catalog;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What audits need to remember about the shards we store: challenges not yet asked (each asked
 * once, so an answer can never be replayed) and when each shard was last read whole and verified.
 */
public final class Audits {
  /** Bytes of one stored challenge: a nonce, then the answer expected for it. */
  public static final int CHALLENGE_BYTES = 32;

  private final Db db;

  Audits(Db db) {
    this.db = db;
  }

  /** A shard on a store, with the length of its file, as audits pick them. */
  public record Target(PackId packId, int index, long storeId, long length) {}

  /** Replaces the unused challenges of a shard; with {@code verifiedAt}, also records a full read. */
  public void renew(PackId pack, int index, byte[] challenges, Instant verifiedAt) {
    db.update("INSERT INTO shard_audits(pack_id, idx, challenges, verified_at) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT(pack_id, idx) DO UPDATE SET challenges = excluded.challenges, "
        + "verified_at = coalesce(excluded.verified_at, shard_audits.verified_at)", st -> {
          st.setBytes(1, pack.bytes());
          st.setInt(2, index);
          st.setBytes(3, challenges);
          if (verifiedAt == null) {
            st.setNull(4, java.sql.Types.INTEGER);
          } else {
            st.setLong(4, verifiedAt.toEpochMilli());
          }
        });
  }

  /** Takes one unused challenge of a shard (it is never offered again), or none when all are used. */
  public Optional<byte[]> take(PackId pack, int index) {
    return db.inTransaction(() -> {
      Optional<byte[]> all = db.queryOne("SELECT challenges FROM shard_audits WHERE pack_id = ? AND idx = ?", st -> {
        st.setBytes(1, pack.bytes());
        st.setInt(2, index);
      }, rs -> rs.getBytes(1));
      if (all.isEmpty() || all.get().length < CHALLENGE_BYTES) {
        return Optional.empty();
      }
      byte[] rest = Arrays.copyOfRange(all.get(), CHALLENGE_BYTES, all.get().length);
      db.update("UPDATE shard_audits SET challenges = ? WHERE pack_id = ? AND idx = ?", st -> {
        st.setBytes(1, rest);
        st.setBytes(2, pack.bytes());
        st.setInt(3, index);
      });
      return Optional.of(Arrays.copyOf(all.get(), CHALLENGE_BYTES));
    });
  }

  /** Up to {@code limit} shards on a store that still have a challenge, picked at random. */
  public List<Target> challengeable(long storeId, int limit) {
    return db.query("SELECT s.pack_id, s.idx, s.store_id, p.shard_length FROM shards s "
        + "JOIN packs p ON p.id = s.pack_id JOIN shard_audits a ON a.pack_id = s.pack_id AND a.idx = s.idx "
        + "WHERE s.store_id = ? AND length(a.challenges) >= " + CHALLENGE_BYTES + " ORDER BY random() LIMIT ?", st -> {
          st.setLong(1, storeId);
          st.setInt(2, limit);
        }, Audits::target);
  }

  /** Shards in the order they are due for a full read: never read first, then the longest ago. */
  public List<Target> dueForReading(int limit) {
    return db.query("SELECT s.pack_id, s.idx, s.store_id, p.shard_length FROM shards s "
        + "JOIN packs p ON p.id = s.pack_id "
        + "LEFT JOIN shard_audits a ON a.pack_id = s.pack_id AND a.idx = s.idx "
        + "ORDER BY coalesce(a.verified_at, 0), random() LIMIT ?", st -> st.setInt(1, limit), Audits::target);
  }

  /** How many stored shards have not been read whole since {@code since}. */
  public long notReadSince(Instant since) {
    return db.queryOne("SELECT count(*) FROM shards s "
        + "LEFT JOIN shard_audits a ON a.pack_id = s.pack_id AND a.idx = s.idx "
        + "WHERE coalesce(a.verified_at, 0) < ?", st -> st.setLong(1, since.toEpochMilli()),
        rs -> rs.getLong(1)).orElse(0L);
  }

  /** Bytes of every shard file recorded, on every store: what a full verification reads. */
  public long storedBytes() {
    return db.queryOne("SELECT coalesce(sum(p.shard_length), 0) FROM shards s JOIN packs p ON p.id = s.pack_id",
        Db.NONE, rs -> rs.getLong(1)).orElse(0L);
  }

  /** Drops what is remembered about packs that no longer exist (pruned). */
  public int forgetGone() {
    return db.update("DELETE FROM shard_audits WHERE pack_id NOT IN (SELECT id FROM packs)", Db.NONE);
  }

  // ---- what this agent found rotten among the shards it keeps for partners

  public record Rot(String partner, String name, String problem, Instant foundAt) {}

  public void addRot(String partner, String name, String problem, Instant foundAt) {
    db.update("INSERT OR REPLACE INTO hosted_rot(partner, name, problem, found_at) VALUES (?, ?, ?, ?)", st -> {
      st.setString(1, partner);
      st.setString(2, name);
      st.setString(3, problem);
      st.setLong(4, foundAt.toEpochMilli());
    });
  }

  public List<Rot> rotOf(String partner) {
    return db.query("SELECT partner, name, problem, found_at FROM hosted_rot WHERE partner = ? ORDER BY name",
        st -> st.setString(1, partner),
        rs -> new Rot(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
  }

  public void removeRot(String partner, String name) {
    db.update("DELETE FROM hosted_rot WHERE partner = ? AND name = ?", st -> {
      st.setString(1, partner);
      st.setString(2, name);
    });
  }

  private static Target target(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Target(new PackId(rs.getBytes(1)), rs.getInt(2), rs.getLong(3), rs.getLong(4));
  }
}
