-- selfstorage catalog, schema version 1.
-- The catalog is a cache: everything needed to restore also lives, encrypted, in the stores.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE stores (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  kind      TEXT NOT NULL,            -- 'local' (a directory) or 'partner'
  location  TEXT NOT NULL,            -- a path for local stores
  site      TEXT NOT NULL,            -- failure domain: never two shards of a pack on one site
  added_at  INTEGER NOT NULL          -- epoch milliseconds
);

CREATE TABLE sources (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  path      TEXT NOT NULL,
  added_at  INTEGER NOT NULL
);

CREATE TABLE snapshots (
  id            BLOB PRIMARY KEY,     -- 16 random bytes
  source_id     INTEGER NOT NULL REFERENCES sources(id),
  time          INTEGER NOT NULL,     -- epoch milliseconds
  root_tree     BLOB NOT NULL,        -- blob id of the root tree
  host          TEXT NOT NULL,
  files         INTEGER NOT NULL,
  dirs          INTEGER NOT NULL,
  bytes         INTEGER NOT NULL,     -- logical size of the files
  added_bytes   INTEGER NOT NULL,     -- bytes of new blobs (after compression) this snapshot added
  incomplete    INTEGER NOT NULL      -- files that could not be stored consistently (0 = complete)
);
CREATE INDEX snapshots_by_source_time ON snapshots(source_id, time);

CREATE TABLE packs (
  id             BLOB PRIMARY KEY,    -- 16 random bytes
  length         INTEGER NOT NULL,    -- bytes of the pack before erasure coding
  data_shards    INTEGER NOT NULL,    -- k
  parity_shards  INTEGER NOT NULL,    -- m
  shard_length   INTEGER NOT NULL,    -- bytes of each shard file, header included
  created_at     INTEGER NOT NULL
);

CREATE TABLE blobs (
  id          BLOB PRIMARY KEY,       -- 32-byte keyed hash of the plaintext
  pack_id     BLOB NOT NULL,
  offset      INTEGER NOT NULL,
  length      INTEGER NOT NULL,       -- ciphertext bytes in the pack
  raw_length  INTEGER NOT NULL,       -- plaintext bytes
  type        INTEGER NOT NULL        -- 0 data, 1 tree
) WITHOUT ROWID;
CREATE INDEX blobs_by_pack ON blobs(pack_id);

CREATE TABLE shards (
  pack_id   BLOB NOT NULL,
  idx       INTEGER NOT NULL,
  store_id  INTEGER NOT NULL REFERENCES stores(id),
  sha256    BLOB NOT NULL,            -- of the shard body, as written in its header
  PRIMARY KEY (pack_id, idx, store_id)
) WITHOUT ROWID;
CREATE INDEX shards_by_store ON shards(store_id);

CREATE TABLE trees (
  id    BLOB PRIMARY KEY,             -- blob id of the tree
  data  BLOB NOT NULL                 -- its plaintext, so listing and incremental backups need no store reads
) WITHOUT ROWID;

CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  time      INTEGER NOT NULL,
  code      TEXT NOT NULL,
  severity  TEXT NOT NULL,            -- info, warning, error
  message   TEXT NOT NULL
);
