-- selfstorage catalog: files over a size a source leaves out (NULL: none), in bytes.
ALTER TABLE sources ADD COLUMN exclude_larger_than INTEGER;
