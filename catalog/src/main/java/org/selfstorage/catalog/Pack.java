package org.selfstorage.catalog;

import java.time.Instant;

/** A pack as placed: k data and m parity shards, each {@code shardLength} bytes on its store. */
public record Pack(PackId id, long length, int dataShards, int parityShards, long shardLength, Instant createdAt) {
  public int shardCount() {
    return dataShards + parityShards;
  }
}
