package org.selfstorage.agent.repo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.audit.Challenge;
import org.selfstorage.agent.erasure.ShardCodec;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.pack.SealedPack;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.placement.Layout;
import org.selfstorage.agent.placement.Placement;
import org.selfstorage.agent.placement.Redundancy;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.federation.FederationException;

/**
 * Places sealed packs: erasure-codes each into k + m shards, writes them to distinct sites in
 * parallel, and records pack, blobs and shards in the catalog only once every shard is durably
 * stored. A pack that is not recorded does not exist for anyone: a crash before that point leaves
 * at most unreferenced shard files, never a catalog entry pointing at nothing.
 */
public final class PackUploader {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final int tolerate;
  private final ExecutorService encoders;
  private final ExecutorService io;
  private final Clock clock;
  private final Semaphore inFlight;
  private final List<Future<?>> pending = new ArrayList<>();
  private final AtomicLong storedBytes = new AtomicLong();
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  /** Parity shard bodies of packs being placed (data shards are slices of the pack), reused (see BufferPool). */
  private final BufferPool shardBuffers = new BufferPool(8);

  private boolean relocating;

  public PackUploader(Catalog catalog, Keys keys, StoreSet stores, int tolerate, ExecutorService encoders,
      ExecutorService io, Clock clock, int maxPacksInFlight) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.tolerate = tolerate;
    this.encoders = encoders;
    this.io = io;
    this.clock = clock;
    this.inFlight = new Semaphore(maxPacksInFlight);
  }

  /**
   * Writes one shard; when its store fails (unreachable, full), sets that store aside and writes to
   * the best store on a site this pack does not use yet, until one takes it or none is left.
   */
  private OpenStore write(SealedPack pack, int index, byte[] header, byte[] body, int bodyOffset, int bodyLength,
      OpenStore first, java.util.Set<String> usedSites) {
    OpenStore target = first;
    while (true) {
      try {
        target.handle().put(ShardNames.of(pack.id(), index), header, body, bodyOffset, bodyLength);
        return target;
      } catch (FederationException e) {
        stores.setAside(target, e.getMessage());
        OpenStore next;
        synchronized (usedSites) {
          List<OpenStore> free = stores.writable().stream().filter(s -> !usedSites.contains(s.site())).toList();
          Map<Long, Long> space = new HashMap<>();
          free.forEach(s -> space.put(s.id(), s.handle().freeSpace()));
          List<OpenStore> chosen = Placement.choose(pack.id(), 1, free, space);
          next = chosen.isEmpty() ? null : chosen.get(0);
          if (next != null) {
            usedSites.add(next.site());
          }
        }
        if (next == null) {
          throw new NoFreeSite(e.code(), "store " + target.name() + " (" + target.handle().describe()
              + ") refused a shard: " + e.getMessage() + "; no other site is free to take it. Everything stored "
              + "before is safe.", e.code().equals("STORE_FULL")
                  ? "free space on " + target.name() + ", or add a store or partner on another site"
                  : "selfstorage status", e);
        }
        target = next;
      }
    }
  }

  /** Packs from now on hold blobs moved out of older packs (prune): their entries replace the old ones. */
  public void relocating() {
    this.relocating = true;
  }

  /** Checks that the stores can take packs at all, before any work is done. */
  public Layout currentLayout() {
    return Redundancy.layout((int) stores.writableSites(), tolerate);
  }

  /** Queues a pack; blocks while too many packs are in flight. */
  public void upload(SealedPack pack) throws InterruptedException {
    inFlight.acquire();
    CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
      try {
        place(pack);
      } finally {
        inFlight.release();
      }
    }, encoders);
    synchronized (pending) {
      pending.add(f);
    }
  }

  /** Waits for every queued pack; rethrows the first failure. */
  public void awaitAll() throws InterruptedException {
    List<Future<?>> all;
    synchronized (pending) {
      all = new ArrayList<>(pending);
      pending.clear();
    }
    RuntimeException first = null;
    for (Future<?> f : all) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  public long storedBytes() {
    return storedBytes.get();
  }

  /** A shard's store failed and no other site is free for it: the pack may fit a smaller layout. */
  private static final class NoFreeSite extends AgentException {
    NoFreeSite(String code, String message, String fix, Throwable cause) {
      super(code, message, fix, cause);
    }
  }

  /**
   * Places a pack; when a store fails during the writes and no other site is free, places it again
   * with the layout the sites still available allow (3 sites at 2+1 less one: 1+1, which still
   * survives the loss of one), so one partner going down mid-backup does not end the backup. The
   * shards of the first attempt are surplus, and go with the sweep. Nothing is recorded until a
   * whole layout is stored, so redundancy is never below {@code redundancy.tolerate}.
   */
  private void place(SealedPack pack) {
    try {
      placeOnce(pack);
    } catch (NoFreeSite first) {
      Layout smaller;
      try {
        smaller = currentLayout();
      } catch (AgentException tooFew) {
        throw first;
      }
      if (smaller.shards() > stores.writableSites()) {
        throw first;
      }
      placeOnce(pack);
    } finally {
      pack.release();
    }
  }

  private void placeOnce(SealedPack pack) {
    // layout and candidates from one look at the stores: packs in flight set failing stores aside
    // concurrently, and a layout counted before that would ask for more sites than are left
    List<OpenStore> candidates = stores.writable();
    Layout layout = Redundancy.layout((int) candidates.stream().map(OpenStore::site).distinct().count(), tolerate);
    ShardCodec codec = new ShardCodec(layout.dataShards(), layout.parityShards());
    int k = layout.dataShards();
    int bodyLength = codec.shardSize(pack.length());
    // The data shards are slices of the pack's own buffer when it has room for the last one's
    // zero padding (fewer than k bytes): no copy of the pack, and only the parity shards need
    // buffers of their own. Otherwise every shard is copied out.
    boolean inPlace = pack.bytes().length >= (long) k * bodyLength;
    byte[][] lent = new byte[inPlace ? layout.parityShards() : layout.shards()][];
    for (int i = 0; i < lent.length; i++) {
      lent[i] = shardBuffers.take(bodyLength);
    }
    try {
      byte[][] bodies = new byte[layout.shards()][];
      int[] offsets = new int[layout.shards()];
      if (inPlace) {
        codec.encodeParityInPlace(pack.bytes(), 0, pack.length(), lent);
        for (int i = 0; i < k; i++) {
          bodies[i] = pack.bytes();
          offsets[i] = i * bodyLength;
        }
        System.arraycopy(lent, 0, bodies, k, lent.length);
      } else {
        codec.encodeInto(pack.bytes(), 0, pack.length(), lent);
        bodies = lent;
      }
      placeShards(pack, layout, bodies, offsets, bodyLength, candidates);
    } finally {
      for (byte[] b : lent) {
        shardBuffers.give(b); // every write has ended: placeShards joins them all
      }
    }
  }

  /** Writes shard {@code i}, {@code bodies[i][offsets[i] .. + bodyLength)}, to its site, and records the pack. */
  private void placeShards(SealedPack pack, Layout layout, byte[][] bodies, int[] offsets, int bodyLength,
      List<OpenStore> candidates) {
    Map<Long, Long> free = new HashMap<>();
    for (OpenStore s : candidates) {
      free.put(s.id(), s.handle().freeSpace());
    }
    List<OpenStore> targets = Placement.choose(pack.id(), layout.shards(), candidates, free);
    if (targets.size() < layout.shards()) {
      throw new AgentException("NOT_ENOUGH_SITES", "only " + targets.size() + " sites can take pack shards, "
          + layout.shards() + " are needed", "selfstorage store add DIR --site NAME");
    }
    List<CompletableFuture<ShardRecord>> writes = new ArrayList<>();
    byte[][] challenges = new byte[bodies.length][];
    long shardLength = ShardFile.HEADER + (long) bodyLength;
    java.util.Set<String> usedSites = new java.util.HashSet<>();
    targets.forEach(t -> usedSites.add(t.site()));
    for (int i = 0; i < bodies.length; i++) {
      int index = i;
      OpenStore target = targets.get(i);
      byte[] body = bodies[i];
      int offset = offsets[i];
      writes.add(CompletableFuture.supplyAsync(() -> {
        // the body hash in the header is the costliest step here: one per I/O thread, in parallel
        byte[] header = ShardFile.header(pack.id(), index, layout.dataShards(), layout.parityShards(), pack.length(),
            body, offset, bodyLength, keys.shardHeader());
        OpenStore used = write(pack, index, header, body, offset, bodyLength, target, usedSites);
        challenges[index] = Challenge.fresh(body, offset, bodyLength, random);
        return new ShardRecord(pack.id(), index, used.id(), ShardFile.bodySha256(header));
      }, io));
    }
    List<ShardRecord> records = new ArrayList<>();
    RuntimeException failed = null;
    // every write ends before this returns or throws: a second attempt must not race the first's
    for (CompletableFuture<ShardRecord> w : writes) {
      try {
        records.add(w.join());
      } catch (java.util.concurrent.CompletionException e) {
        if (failed == null) {
          failed = e.getCause() instanceof RuntimeException re ? re : e;
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    Pack record = new Pack(pack.id(), pack.length(), layout.dataShards(), layout.parityShards(), shardLength,
        clock.instant());
    if (relocating) {
      catalog.packs().addRepacked(record, pack.blobs(), records);
    } else {
      catalog.packs().add(record, pack.blobs(), records);
    }
    for (int i = 0; i < challenges.length; i++) {
      catalog.audits().renew(pack.id(), i, challenges[i], record.createdAt());
    }
    storedBytes.addAndGet(shardLength * records.size());
  }
}
