-- selfstorage catalog, schema version 2: partners, their agreements, and invitations.

-- A partner is another agent with an agreement: we keep up to hosts_for_them bytes of its shards,
-- it keeps up to hosts_for_us bytes of ours. Its shards of ours are in the store store_id
-- (kind 'partner'), so placement, shard records and repair treat it like any other store.
CREATE TABLE partners (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  public_key      BLOB NOT NULL UNIQUE,   -- Ed25519, 32 bytes: its SSH host key and login key
  addresses       TEXT NOT NULL,          -- host:port it advertises, comma-separated
  store_id        INTEGER NOT NULL UNIQUE REFERENCES stores(id),
  hosts_for_them  INTEGER NOT NULL,       -- quota: bytes of its shards we keep
  hosts_for_us    INTEGER NOT NULL,       -- quota: bytes of our shards it keeps
  paired_at       INTEGER NOT NULL,       -- epoch milliseconds
  last_seen       INTEGER,                -- last successful contact, either direction
  last_error      TEXT,                   -- the last failure talking to it, cleared on success
  reported_used   INTEGER,                -- bytes of ours it says it keeps (from its last answer)
  revoked_at      INTEGER                 -- set by partners remove: its key may no longer log in
);

-- Invitations this agent issued. The secret is kept so the pairing proof can be checked; a used
-- or expired invitation is refused.
CREATE TABLE invitations (
  id          BLOB PRIMARY KEY,           -- 8 random bytes, in the code
  secret      BLOB NOT NULL,              -- 16 random bytes, in the code
  quota       INTEGER NOT NULL,           -- bytes we offer to keep for whoever joins
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER,
  used_by     TEXT                        -- the partner name that joined with it
) WITHOUT ROWID;
