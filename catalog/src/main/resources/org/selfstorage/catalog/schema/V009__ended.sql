-- selfstorage catalog: when a partner ended our agreement from its side.

-- Set when the partner tells us it is leaving, or answers that it has no agreement with our key;
-- cleared by its next successful hello. A partner that ended the agreement keeps nothing for us
-- any more: its shards count as lost at once.
ALTER TABLE partners ADD COLUMN ended_at INTEGER;   -- ms since the epoch
