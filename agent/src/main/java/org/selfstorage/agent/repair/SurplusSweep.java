package org.selfstorage.agent.repair;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repo.CatalogReplica;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStat;

/**
 * Deletes shard files that a store or partner keeps but no pack needs: left by an interrupted
 * backup, or rebuilt elsewhere while a partner was away and now surplus on it. Never on
 * uncertainty: a store whose listing fails is skipped (a failed listing is not "empty"); a file is
 * deleted only when it was surplus in the previous sweep too (a second confirmation, a sweep
 * apart); a partner whose clock disagrees with ours by more than {@link #MAX_SKEW} is left alone.
 * The caller holds the home's lock, so no backup uploads shards that are not recorded yet.
 */
public final class SurplusSweep {
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final Catalog catalog;
  private final StoreSet stores;

  public SurplusSweep(Catalog catalog, StoreSet stores) {
    this.catalog = catalog;
    this.stores = stores;
  }

  /** What one sweep saw and did. */
  public record Outcome(Map<Long, Set<String>> candidates, int deleted, long bytes) {}

  /**
   * @param previous the candidates of the previous sweep (empty at the first)
   * @param skewed names of stores to leave alone (their clock disagrees with ours)
   */
  public Outcome sweep(Map<Long, Set<String>> previous, Set<String> skewed) {
    Map<Long, Set<String>> recorded = new HashMap<>();
    catalog.shards().forEach(r -> recorded.computeIfAbsent(r.storeId(), x -> new HashSet<>())
        .add(ShardNames.of(r.packId(), r.index()).value()));
    Map<Long, Set<String>> candidates = new HashMap<>();
    int deleted = 0;
    long bytes = 0;
    for (OpenStore s : stores.available()) {
      if (skewed.contains(s.name())) {
        continue;
      }
      Set<String> mine = recorded.getOrDefault(s.id(), Set.of());
      Set<String> surplus = new HashSet<>();
      Map<String, Long> sizes = new HashMap<>();
      try {
        for (ShardStat st : s.handle().list("")) {
          String n = st.name().value();
          if (!CatalogReplica.isReplica(st.name()) && !mine.contains(n)) {
            surplus.add(n);
            sizes.put(n, st.size());
          }
        }
      } catch (FederationException e) {
        continue; // no complete listing, no decision
      }
      Set<String> confirmed = new HashSet<>(surplus);
      confirmed.retainAll(previous.getOrDefault(s.id(), Set.of()));
      for (String n : confirmed) {
        try {
          s.handle().delete(new ShardName(n));
          deleted++;
          bytes += sizes.get(n);
          surplus.remove(n);
        } catch (FederationException e) {
          // stays a candidate; the next sweep tries again
        }
      }
      if (!surplus.isEmpty()) {
        candidates.put(s.id(), surplus);
      }
    }
    return new Outcome(candidates, deleted, bytes);
  }

}
