package org.selfstorage.agent.health;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.selfstorage.agent.StatusReport;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;

/**
 * Counts every pack's shards on the stores that can be read, and names its state: healthy (all k +
 * m), degraded (more than k), at risk (exactly k: one more loss loses data) or lost (fewer than k).
 * One pass over the shard records; what counts as readable is the caller's (now, or "if X were gone").
 */
public final class PackCensus {
  public enum State {
    HEALTHY, DEGRADED, AT_RISK, LOST
  }

  private final Map<PackId, State> states;

  private PackCensus(Map<PackId, State> states) {
    this.states = states;
  }

  public static PackCensus take(Catalog catalog, LongPredicate readable) {
    Map<PackId, Set<Integer>> usable = new HashMap<>();
    catalog.shards().forEach(r -> {
      if (readable.test(r.storeId())) {
        usable.computeIfAbsent(r.packId(), p -> new HashSet<>()).add(r.index());
      }
    });
    Map<PackId, State> states = new HashMap<>();
    for (Pack p : catalog.packs().list()) {
      int good = usable.getOrDefault(p.id(), Set.of()).size();
      states.put(p.id(), good >= p.shardCount() ? State.HEALTHY : good < p.dataShards() ? State.LOST
          : good == p.dataShards() ? State.AT_RISK : State.DEGRADED);
    }
    return new PackCensus(states);
  }

  public Map<PackId, State> states() {
    return states;
  }

  public StatusReport.PackHealth health() {
    long[] n = new long[State.values().length];
    states.values().forEach(s -> n[s.ordinal()]++);
    return new StatusReport.PackHealth(n[0], n[1], n[2], n[3]);
  }

  /** The worst state of any pack; healthy when there are none. */
  public State worst() {
    return states.values().stream().max(Enum::compareTo).orElse(State.HEALTHY);
  }
}
