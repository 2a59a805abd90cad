package org.selfstorage.agent;

import java.util.List;

/**
 * What a check found. {@code damaged} lists shards that are missing or fail verification (each
 * names the pack, the shard and its store); {@code errors} lists problems that lose data;
 * {@code packsRead} of the {@code packs} were read in full (all with --read-data, a part with
 * --read-data-subset, none without).
 */
public record CheckResult(
    long snapshots, long trees, long packs, long packsRead, long shardsRead, long bytesRead, boolean readData,
    List<String> damaged, List<String> errors, List<String> notes) {

  public boolean ok() {
    return damaged.isEmpty() && errors.isEmpty();
  }
}
