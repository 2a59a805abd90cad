-- selfstorage catalog, schema version 3: retention policies, schedules, and two-phase deletion.

-- A source's retention policy (restic's forget rules); no row: keep everything.
CREATE TABLE policies (
  source_id       INTEGER PRIMARY KEY REFERENCES sources(id),
  keep_last       INTEGER NOT NULL,     -- counts: 0 off, -1 unlimited
  keep_hourly     INTEGER NOT NULL,
  keep_daily      INTEGER NOT NULL,
  keep_weekly     INTEGER NOT NULL,
  keep_monthly    INTEGER NOT NULL,
  keep_yearly     INTEGER NOT NULL,
  keep_within_s   INTEGER NOT NULL      -- seconds; 0 off
);

-- schedule: hourly, daily, weekly or a cron expression (NULL: by hand);
-- last_scheduled: epoch ms of the last scheduled run the agent started.
ALTER TABLE sources ADD COLUMN schedule TEXT;
ALTER TABLE sources ADD COLUMN last_scheduled INTEGER;

-- Shard files of packs that prune retired: the catalog forgot the pack first (in one transaction),
-- the files are deleted afterwards, store by store; a row stays until its file is gone, so a
-- crash or an unreachable partner only delays the deletion.
CREATE TABLE pending_deletes (
  pack_id   BLOB NOT NULL,
  idx       INTEGER NOT NULL,
  store_id  INTEGER NOT NULL,
  since     INTEGER NOT NULL,
  PRIMARY KEY (pack_id, idx, store_id)
) WITHOUT ROWID;
