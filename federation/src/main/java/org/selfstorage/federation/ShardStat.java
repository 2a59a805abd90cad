package org.selfstorage.federation;

/** What a store says about one shard it holds. */
public record ShardStat(ShardName name, long size) {}
