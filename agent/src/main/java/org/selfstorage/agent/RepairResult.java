package org.selfstorage.agent;

import java.util.List;

/** What a repair did: shards rebuilt (each naming pack, shard and store) and packs it could not save. */
public record RepairResult(long packsChecked, List<String> rebuilt, List<String> failed) {}
