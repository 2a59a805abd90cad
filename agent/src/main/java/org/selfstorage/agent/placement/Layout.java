package org.selfstorage.agent.placement;

/** How a pack is cut: k data shards and m parity shards; any k of the k + m rebuild it. */
public record Layout(int dataShards, int parityShards) {
  public int shards() {
    return dataShards + parityShards;
  }
}
