package org.selfstorage.agent;

import java.time.Duration;

/**
 * What prune did: packs deleted (nothing in them was used), packs repacked (their used blobs were
 * copied into new packs first), blobs no snapshot references any more, shard files deleted from
 * stores and partners and the bytes that freed, and deletions still pending (a store or partner
 * that could not be reached: the next prune finishes them).
 */
public record PruneResult(int packsDeleted, int packsRepacked, long blobsRemoved, int shardFilesDeleted,
    long bytesFreed, int pendingDeletes, Duration elapsed) {}
