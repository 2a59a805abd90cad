-- selfstorage catalog: two more things a source may leave out.

-- one_file_system: directories on another file system than the source's top (mount points) are
-- recorded empty; exclude_caches: directories marked with a CACHEDIR.TAG are recorded empty.
ALTER TABLE sources ADD COLUMN one_file_system INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN exclude_caches INTEGER NOT NULL DEFAULT 0;
