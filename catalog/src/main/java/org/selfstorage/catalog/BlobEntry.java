package org.selfstorage.catalog;

/** Where a blob lives: its pack, and its ciphertext's offset and length in that pack. */
public record BlobEntry(BlobId id, PackId packId, int offset, int length, int rawLength, BlobType type) {}
