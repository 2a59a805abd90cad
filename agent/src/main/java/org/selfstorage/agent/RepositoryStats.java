package org.selfstorage.agent;

/**
 * How much the snapshots hold and what they take: what deduplication, compression and redundancy
 * each do to the bytes (restic's {@code stats}, in one view).
 *
 * @param snapshots snapshots in all, of {@code sources} sources
 * @param latestFiles files in the latest snapshot of each source, {@code latestBytes} their size
 * @param allFiles files in every snapshot, counted once per snapshot that holds them, {@code
 *     allBytes} their size: what restoring every snapshot would write
 * @param chunks distinct chunks of file content kept, {@code chunkBytes} their size before
 *     compression (zero runs are not chunks: a sparse file's holes take nothing)
 * @param trees distinct directory trees kept, {@code treeBytes} their size before compression
 * @param storedBytes chunks and trees as stored in packs, compressed and encrypted
 * @param packs packs, {@code packBytes} their size before erasure coding
 * @param shardBytes every shard file on every store and partner: the packs with their redundancy
 */
public record RepositoryStats(long snapshots, long sources, long latestFiles, long latestBytes, long allFiles,
    long allBytes, long chunks, long chunkBytes, long trees, long treeBytes, long storedBytes, long packs,
    long packBytes, long shardBytes) {}
