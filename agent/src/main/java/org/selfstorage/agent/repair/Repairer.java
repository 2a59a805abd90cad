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
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.RepairResult;
import org.selfstorage.agent.audit.Challenge;
import org.selfstorage.agent.erasure.ShardCodec;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.pack.ShardDamagedException;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.placement.Placement;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardBytes;

/**
 * Rebuilds shards that are missing or damaged from the good ones, while at least k remain. A
 * rebuilt shard goes back to its store when that store is available, otherwise to a store on a
 * site that holds no other shard of the pack. Packs with the fewest good shards go first.
 */
public final class Repairer {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Progress.Listener listener;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  /**
   * Whole shards as read, then (a good one) its body moved to the front of the same array for the
   * rebuild, and the rebuilt bodies: a few MiB per shard that would otherwise be new garbage, too
   * large for young collections, for every shard of every pack. Lives as long as this repair.
   */
  private final BufferPool reads = new BufferPool(16);

  public Repairer(Catalog catalog, Keys keys, StoreSet stores, Clock clock, Progress.Listener listener) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.clock = clock;
    this.listener = listener;
  }

  /** A pack's shards as read: each good body in the first {@code bodyLength} bytes of a pooled array. */
  private record Assessment(Pack pack, byte[][] bodies, int bodyLength, Map<Integer, ShardRecord> bad, int good,
      long bytesRead) {}

  public RepairResult repair() {
    return repair(p -> true);
  }

  /**
   * How hard a repair may work: bytes per second read and written together (0: no limit;
   * {@code repair.max-rate}), and packs repaired at once ({@code repair.packs-at-once}): with two,
   * one pack's shards are read while another's rebuilt shard is written (over a WAN each step
   * waits on round trips); memory grows by one pack for each.
   */
  public record Limits(long bytesPerSecond, int packsAtOnce) {
    public static final Limits DEFAULT = new Limits(0, 2);

    public Limits {
      if (bytesPerSecond < 0 || packsAtOnce < 1) {
        throw new IllegalArgumentException("a rate of 0 or more and at least one pack at once");
      }
    }
  }

  public Repairer limitedTo(Limits limits) {
    this.limits = limits;
    return this;
  }

  private record Candidate(Pack pack, int available) {}

  /**
   * Repairs only the packs {@code which} accepts. Packs go most endangered first (fewest shards on
   * available stores, from the catalog), {@link Limits#packsAtOnce} at a time: each is read, rebuilt
   * and let go before a worker takes the next, so memory does not grow with the number of packs.
   */
  public RepairResult repair(java.util.function.Predicate<Pack> which) {
    List<Candidate> candidates = new ArrayList<>();
    long bytesTotal = 0;
    for (Pack pack : catalog.packs().list()) {
      if (!which.test(pack)) {
        continue;
      }
      Set<Integer> present = new HashSet<>();
      for (ShardRecord r : catalog.shards().ofPack(pack.id())) {
        if (stores.get(r.storeId()).isPresent()) {
          present.add(r.index());
        }
      }
      candidates.add(new Candidate(pack, present.size()));
      bytesTotal += pack.shardLength() * (Math.min(present.size(), pack.shardCount())
          + Math.max(0, pack.shardCount() - present.size()));
    }
    candidates.sort((x, y) -> Integer.compare(x.available(), y.available()));
    List<String> rebuilt = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();
    long started = System.nanoTime();
    long total = bytesTotal;
    java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(
        Math.max(1, Math.min(limits.packsAtOnce(), candidates.size())), r -> {
          Thread t = new Thread(r, "selfstorage-repair");
          t.setDaemon(true);
          return t;
        });
    List<java.util.concurrent.Future<?>> work = new ArrayList<>();
    try {
      // handed out in order, so the most endangered packs are the first taken
      for (Candidate c : candidates) {
        work.add(workers.submit(() -> {
          repairOne(c.pack(), rebuilt, failed);
          long n = checked.incrementAndGet();
          synchronized (listener) {
            listener.onProgress(new Progress("repair", n, moved.get(), Math.max(total, moved.get()), 0,
                c.pack().id().shortHex()));
          }
          throttle(started);
        }));
      }
      for (java.util.concurrent.Future<?> f : work) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the agent is stopping: what is rebuilt so far is recorded
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      workers.shutdownNow();
    }
    return new RepairResult(checked.get(), List.copyOf(rebuilt), List.copyOf(failed));
  }

  private void repairOne(Pack pack, List<String> rebuilt, List<String> failed) {
    if (!roomFor(pack)) {
      failed.add("pack " + pack.id().shortHex() + ": no store or partner on a site without a shard of it has room "
          + "for a " + pack.shardLength() + "-byte shard");
      return;
    }
    Assessment a = assess(pack);
    try {
      moved.addAndGet(a.bytesRead());
      if (!a.bad().isEmpty() || a.good() < pack.shardCount()) {
        rebuild(a, rebuilt, failed);
      }
    } finally {
      for (byte[] b : a.bodies()) {
        reads.give(b);
      }
    }
  }

  private Limits limits = Limits.DEFAULT;
  private final java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();

  /** Sleeps as long as the bytes moved so far are ahead of the allowed rate. */
  private void throttle(long started) {
    long bytesPerSecond = limits.bytesPerSecond();
    if (bytesPerSecond <= 0) {
      return;
    }
    long dueNanos = (long) (moved.get() * 1e9 / bytesPerSecond);
    long ahead = dueNanos - (System.nanoTime() - started);
    if (ahead > 0) {
      try {
        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void rebuild(Assessment a, List<String> rebuilt, List<String> failed) {
    Pack pack = a.pack();
    if (a.good() < pack.dataShards()) {
      failed.add("pack " + pack.id().shortHex() + ": only " + a.good() + " good shards of the " + pack.dataShards()
          + " needed; it cannot be rebuilt");
      return;
    }
    byte[][] bodies = a.bodies();
    boolean[] intact = new boolean[bodies.length];
    Set<String> usedSites = new HashSet<>();
    for (ShardRecord r : catalog.shards().ofPack(pack.id())) {
      if (bodies[r.index()] != null) {
        intact[r.index()] = true;
        stores.get(r.storeId()).ifPresent(s -> usedSites.add(s.site()));
      }
    }
    int size = a.bodyLength();
    new ShardCodec(pack.dataShards(), pack.parityShards()).reconstruct(bodies, size, reads::take);
    for (int i = 0; i < pack.shardCount(); i++) {
      if (intact[i]) {
        continue;
      }
      ShardRecord old = a.bad().get(i);
      OpenStore target = old == null ? null : stores.get(old.storeId()).orElse(null);
      if (target == null || usedSites.contains(target.site())) {
        target = pickStore(pack, usedSites);
      }
      if (target == null) {
        failed.add("shard " + i + " of pack " + pack.id().shortHex() + ": no store on a free site can take it");
        continue;
      }
      // header and body as they are: no third copy of the shard for the write
      byte[] header = ShardFile.header(pack.id(), i, pack.dataShards(), pack.parityShards(), (int) pack.length(),
          bodies[i], 0, size, keys.shardHeader());
      try {
        target.handle().put(ShardNames.of(pack.id(), i), header, bodies[i], 0, size);
      } catch (FederationException e) {
        failed.add("shard " + i + " of pack " + pack.id().shortHex() + " could not be written to " + target.name()
            + ": " + e.getMessage());
        continue;
      }
      moved.addAndGet(header.length + size);
      if (old != null && old.storeId() != target.id()) {
        catalog.shards().remove(pack.id(), i, old.storeId());
      }
      catalog.shards().add(List.of(new ShardRecord(pack.id(), i, target.id(),
          ShardFile.bodySha256(header))));
      catalog.audits().renew(pack.id(), i, Challenge.fresh(bodies[i], 0, size, random), clock.instant());
      usedSites.add(target.site());
      rebuilt.add("shard " + i + " of pack " + pack.id().shortHex() + " on store " + target.name());
    }
  }

  /**
   * Whether a shard of the pack that is missing could be written anywhere: back in place (its
   * store is available), or on a store of a site that holds none of the pack's shards and has room.
   * Answered from the catalog, before any shard is downloaded, so that a mesh with no room does
   * not read every degraded pack again each round only to find nowhere to put it.
   */
  private boolean roomFor(Pack pack) {
    Set<String> usedSites = new HashSet<>();
    Set<Integer> present = new HashSet<>();
    for (ShardRecord r : catalog.shards().ofPack(pack.id())) {
      Optional<OpenStore> s = stores.get(r.storeId());
      if (s.isPresent()) {
        usedSites.add(s.get().site());
        present.add(r.index());
      }
    }
    if (present.size() >= pack.shardCount()) {
      return true; // all in place: any damaged one is rewritten where it is
    }
    return stores.writable().stream()
        .anyMatch(s -> !usedSites.contains(s.site()) && s.handle().freeSpace() >= pack.shardLength());
  }

  private OpenStore pickStore(Pack pack, Set<String> usedSites) {
    List<OpenStore> free = stores.writable().stream().filter(s -> !usedSites.contains(s.site())).toList();
    Map<Long, Long> space = new HashMap<>();
    free.forEach(s -> space.put(s.id(), s.handle().freeSpace()));
    List<OpenStore> chosen = Placement.choose(pack.id(), 1, free, space);
    return chosen.isEmpty() ? null : chosen.get(0);
  }

  /** Reads and verifies every shard of a pack. */
  private Assessment assess(Pack pack) {
    byte[][] bodies = new byte[pack.shardCount()][];
    int bodyLength = -1;
    Map<Integer, ShardRecord> bad = new HashMap<>();
    int good = 0;
    long bytesRead = 0;
    Map<Integer, List<ShardRecord>> byIndex = new HashMap<>();
    for (ShardRecord r : catalog.shards().ofPack(pack.id())) {
      byIndex.computeIfAbsent(r.index(), x -> new ArrayList<>()).add(r);
    }
    for (int i = 0; i < pack.shardCount(); i++) {
      for (ShardRecord r : byIndex.getOrDefault(i, List.of())) {
        OpenStore store = stores.get(r.storeId()).orElse(null);
        if (store == null) {
          bad.putIfAbsent(i, r);
          continue;
        }
        ShardBytes shard = null;
        try {
          shard = store.handle().get(ShardNames.of(pack.id(), i), reads::take);
          bytesRead += shard.length();
          ShardFile.verify(shard.array(), shard.length(), pack.id(), i, keys.shardHeader(), true);
          int length = shard.length() - ShardFile.HEADER;
          if (bodies[i] == null && bodyLength >= 0 && length != bodyLength) {
            bad.put(i, r); // sealed for this pack and index, yet not the size of its other shards
          } else if (bodies[i] == null) {
            byte[] b = shard.array();
            System.arraycopy(b, ShardFile.HEADER, b, 0, length);
            bodies[i] = b;
            bodyLength = length;
            shard = null; // kept as the body until the pack is done
            good++;
          }
        } catch (ShardDamagedException | FederationException e) {
          bad.put(i, r);
        } finally {
          if (shard != null) {
            reads.give(shard.array());
          }
        }
      }
      if (bodies[i] != null) {
        bad.remove(i);
      }
    }
    return new Assessment(pack, bodies, bodyLength, bad, good, bytesRead);
  }
}
