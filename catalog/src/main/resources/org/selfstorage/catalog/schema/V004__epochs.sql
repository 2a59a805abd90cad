-- selfstorage catalog, schema version 4: partner epochs (fencing after a recovery).

-- The highest epoch the partner has declared: it rises when the partner's home is recovered on
-- another machine; sessions declaring an older one may read their shards but change nothing.
ALTER TABLE partners ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
