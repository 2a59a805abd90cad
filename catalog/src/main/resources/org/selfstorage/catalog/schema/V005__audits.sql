-- selfstorage catalog, schema version 5: audits of the shards we store, and what this agent's
-- scrub found rotten among the shards it keeps for partners.

-- Per shard of a pack (the same bytes wherever they are stored: a shard body is a function of
-- its pack), the challenges not yet asked and the last time the whole shard was read and verified.
CREATE TABLE shard_audits (
  pack_id     BLOB NOT NULL,
  idx         INTEGER NOT NULL,
  challenges  BLOB NOT NULL,      -- unused challenges, 32 bytes each: 16-byte nonce, 16-byte answer
  verified_at INTEGER,            -- ms since the epoch; null: never fully read since it was written
  PRIMARY KEY (pack_id, idx)
) WITHOUT ROWID;

-- Shard files kept for a partner whose body no longer matches the checksum in their header.
CREATE TABLE hosted_rot (
  partner   TEXT NOT NULL,
  name      TEXT NOT NULL,
  problem   TEXT NOT NULL,
  found_at  INTEGER NOT NULL,
  PRIMARY KEY (partner, name)
) WITHOUT ROWID;
