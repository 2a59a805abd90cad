-- selfstorage catalog: snapshot tags.

-- Labels a user gives snapshots (backup --tag, tag --add): a policy can keep every snapshot that
-- carries one of its tags, whatever its age. A snapshot's tags go when it is forgotten.
CREATE TABLE snapshot_tags (
  snapshot_id  BLOB NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  tag          TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, tag)
) WITHOUT ROWID;
CREATE INDEX snapshot_tags_by_tag ON snapshot_tags(tag);

-- Tags whose snapshots the policy keeps, comma-separated ('' none).
ALTER TABLE policies ADD COLUMN keep_tags TEXT NOT NULL DEFAULT '';
