package org.selfstorage.catalog;

/** One shard of a pack, durably stored on one store. */
public record ShardRecord(PackId packId, int index, long storeId, byte[] sha256) {}
