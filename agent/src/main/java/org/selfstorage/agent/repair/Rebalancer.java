package org.selfstorage.agent.repair;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.selfstorage.agent.audit.Challenge;
import org.selfstorage.agent.pack.ShardDamagedException;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Partner;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.federation.FederationException;

/**
 * Evens out how full partners are, relative to the quota each keeps for us, a few shards per
 * round: after a partner joins, or a quota grows, shards move from the fullest partner to the
 * emptiest one. A move copies first (read, verify, write, record) and only then forgets and
 * deletes the old copy, so no pack ever has fewer shards than before, and a shard only moves to a
 * site that holds none of its pack. A move is made only when it leaves the source at least as full
 * as the destination, so shards never go back and forth: the rounds converge and then stop.
 *
 * <p>Moving costs both partners' network and disks, so a round starts only when the fullest
 * partner is fuller than the emptiest by more than {@link #START_GAP} of their quotas: partners
 * that all keep a few percent of what they offer have nothing to fear from being a little uneven,
 * and new packs already favour the one with the most room.
 */
public final class Rebalancer {
  /** How much fuller (a fraction of quota) the fullest partner must be than the emptiest for a round to start. */
  static final double START_GAP = 0.05;

  /** What one round moved. */
  public record Outcome(List<String> moved, long bytes) {}

  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Rebalancer(Catalog catalog, Keys keys, StoreSet stores, Clock clock) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.clock = clock;
  }

  private static final class Fill {
    final OpenStore store;
    final long capacity;
    long used;

    Fill(OpenStore store, long capacity, long used) {
      this.store = store;
      this.capacity = capacity;
      this.used = used;
    }

    double ratio() {
      return (double) used / capacity;
    }
  }

  /** Moves shards until {@code maxBytes} have moved or the partners are even. */
  public Outcome round(long maxBytes) {
    List<Fill> fills = new ArrayList<>();
    // a partner whose disk takes no writes can neither receive a shard nor give one up
    for (OpenStore s : stores.writable()) {
      Optional<Partner> p = catalog.partners().byStore(s.id());
      if (p.isPresent() && p.get().hostsForUs() > 0) {
        fills.add(new Fill(s, p.get().hostsForUs(), catalog.shards().bytesOnStore(s.id())));
      }
    }
    List<String> moved = new ArrayList<>();
    long bytes = 0;
    double fullest = fills.stream().mapToDouble(Fill::ratio).max().orElse(0);
    double emptiest = fills.stream().mapToDouble(Fill::ratio).min().orElse(0);
    if (fullest - emptiest <= START_GAP) {
      return new Outcome(moved, bytes);
    }
    Set<Long> exhausted = new HashSet<>();
    while (bytes < maxBytes && fills.size() >= 2) {
      Fill from = null;
      Fill to = null;
      for (Fill f : fills) {
        if (!exhausted.contains(f.store.id()) && (from == null || f.ratio() > from.ratio())) {
          from = f;
        }
        if (to == null || f.ratio() < to.ratio()) {
          to = f;
        }
      }
      if (from == null || from == to) {
        break;
      }
      ShardRecord shard = movable(from, to);
      if (shard == null) {
        exhausted.add(from.store.id());
        continue;
      }
      long length = catalog.packs().get(shard.packId()).map(Pack::shardLength).orElse(0L);
      // only while the move leaves the source at least as full as the destination: no ping-pong
      if ((double) (from.used - length) / from.capacity < (double) (to.used + length) / to.capacity
          || to.capacity - to.used < length) {
        break;
      }
      if (!move(shard, from.store, to.store)) {
        exhausted.add(from.store.id());
        continue;
      }
      from.used -= length;
      to.used += length;
      bytes += length;
      moved.add("shard " + shard.index() + " of pack " + shard.packId().shortHex() + " from " + from.store.name()
          + " to " + to.store.name());
    }
    return new Outcome(moved, bytes);
  }

  /** A shard on {@code from} whose pack has no shard on {@code to}'s site. */
  private ShardRecord movable(Fill from, Fill to) {
    Map<Long, String> siteOf = new HashMap<>();
    for (OpenStore s : stores.available()) {
      siteOf.put(s.id(), s.site());
    }
    for (ShardRecord r : catalog.shards().onStore(from.store.id())) {
      boolean siteFree = true;
      for (ShardRecord other : catalog.shards().ofPack(r.packId())) {
        String site = siteOf.get(other.storeId());
        if (other.storeId() == to.store.id() || (site != null && site.equals(to.store.site()))) {
          siteFree = false;
          break;
        }
      }
      if (siteFree) {
        return r;
      }
    }
    return null;
  }

  private boolean move(ShardRecord r, OpenStore from, OpenStore to) {
    PackId pack = r.packId();
    try {
      byte[] shard = from.handle().get(ShardNames.of(pack, r.index()));
      ShardFile.verify(shard, pack, r.index(), keys.shardHeader());
      to.handle().put(ShardNames.of(pack, r.index()), shard);
      catalog.shards().add(List.of(new ShardRecord(pack, r.index(), to.id(), r.sha256())));
      catalog.shards().remove(pack, r.index(), from.id());
      catalog.audits().renew(pack, r.index(), Challenge.fresh(ShardFile.body(shard), random), clock.instant());
    } catch (FederationException | ShardDamagedException e) {
      return false; // a damaged shard is the audits' business; a failing partner is set aside elsewhere
    }
    try {
      from.handle().delete(ShardNames.of(pack, r.index()));
    } catch (FederationException e) {
      // the copy left behind is surplus now: the sweep deletes it after a second look
    }
    return true;
  }
}
