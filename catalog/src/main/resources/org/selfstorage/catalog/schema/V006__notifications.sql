-- selfstorage catalog: notifications.

-- What an event says to do about it (a command), when there is something to do.
ALTER TABLE events ADD COLUMN fix TEXT;

-- Webhooks the agent tells about events. The URL may carry a secret (a token): it is shown and
-- logged only masked.
CREATE TABLE webhooks (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL,
  format        TEXT NOT NULL,           -- generic, ntfy, gotify, healthchecks
  min_severity  TEXT NOT NULL,           -- info, warning, error
  events        TEXT,                    -- comma-separated event codes; NULL: every event
  added_at      INTEGER NOT NULL
);

-- The last state the running agent saw of each thing it watches (a partner's reachability,
-- redundancy, quotas), so a change is recorded as one event, also across restarts.
CREATE TABLE conditions (
  subject  TEXT PRIMARY KEY,             -- e.g. partner:bob, redundancy, quota-ours:bob
  state    TEXT NOT NULL,
  since    INTEGER NOT NULL
) WITHOUT ROWID;
