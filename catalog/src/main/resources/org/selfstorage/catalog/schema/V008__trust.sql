-- selfstorage catalog: what each audit round found at each partner, for its trust score.

-- One row per partner per audit round: how many checks its shards got (challenges answered or
-- not, shards read whole or found missing) and how many of them failed. A partner's trust score
-- is the share of checks passed over a recent window; its rows go when the partner is removed.
CREATE TABLE partner_audits (
  partner_id  INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,   -- ms since the epoch
  checks      INTEGER NOT NULL,
  failures    INTEGER NOT NULL
);
CREATE INDEX partner_audits_by_partner ON partner_audits(partner_id, at);
