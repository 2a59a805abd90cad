-- selfstorage catalog: what each source leaves out of its backups.

-- Glob patterns, one per line (a pattern cannot hold a newline); empty: nothing is left out.
ALTER TABLE sources ADD COLUMN excludes TEXT NOT NULL DEFAULT '';
