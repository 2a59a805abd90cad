package org.selfstorage.agent.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.erasure.ShardCodec;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.pack.ShardDamagedException;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.ShardBytes;
import org.selfstorage.federation.StoreUnavailableException;

/**
 * Reads a pack back: the data shards first (no decoding needed when they are all good), parity
 * shards only for those that are missing or damaged, every shard verified before use.
 */
public final class PackFetcher {
  /** A shard that could not be used, and why. */
  public record ShardProblem(Pack pack, int index, String store, String problem) {}

  public interface ProblemListener {
    void onProblem(ShardProblem problem);
  }

  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;

  private final java.util.concurrent.Executor reads;
  /**
   * Shards are read into these and given back once the pack is assembled: a restore reads a
   * shard file of several MiB for every pack, and garbage that size (humongous to G1, which
   * collects it only when young space fills) made the heap, and the process, grow to its limit.
   */
  private final BufferPool shardBuffers = new BufferPool(4);

  public PackFetcher(Catalog catalog, Keys keys, StoreSet stores) {
    this(catalog, keys, stores, null);
  }

  /**
   * With {@code reads}, the k shards a pack needs are read at once (from k stores or partners)
   * rather than one after the other; null reads them in turn.
   */
  public PackFetcher(Catalog catalog, Keys keys, StoreSet stores, java.util.concurrent.Executor reads) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.reads = reads;
  }

  public byte[] fetch(Pack pack, ProblemListener listener) {
    return fetch(pack, listener, true);
  }

  /**
   * Reads a pack. With {@code checkBodies} false, shard bodies are not hashed: only for callers
   * that authenticate every blob they use and call again with true when one fails, since a
   * damaged data shard is then found only through its blobs.
   */
  public byte[] fetch(Pack pack, ProblemListener listener, boolean checkBodies) {
    return fetch(pack, listener, checkBodies, null);
  }

  /**
   * As {@link #fetch(Pack, ProblemListener, boolean)}; with {@code buffers}, the pack is assembled
   * in an array taken from them, which may be longer than the pack, and which the caller gives
   * back. (A pack rebuilt from parity comes in an array of its own, which may be given back too.)
   */
  public byte[] fetch(Pack pack, ProblemListener listener, boolean checkBodies,
      BufferPool buffers) {
    int k = pack.dataShards();
    int n = pack.shardCount();
    Map<Integer, List<ShardRecord>> byIndex = new LinkedHashMap<>();
    for (ShardRecord r : catalog.shards().ofPack(pack.id())) {
      byIndex.computeIfAbsent(r.index(), i -> new ArrayList<>()).add(r);
    }
    byte[][] bodies = new byte[n][]; // whole shard files until decoding needs bare bodies: one copy fewer
    int good = 0;
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    boolean[] tried = new boolean[n];
    if (reads != null && k > 1) {
      good = readHedged(pack, byIndex, bodies, tried, listener, problems, checkBodies);
    }
    for (int i = 0; i < n && good < k; i++) {
      if (tried[i]) {
        continue;
      }
      bodies[i] = readShard(pack, i, byIndex.getOrDefault(i, List.of()), listener, problems, checkBodies);
      if (bodies[i] != null) {
        good++;
      }
    }
    if (good < k) {
      throw new AgentException("PACK_UNRECOVERABLE", "pack " + pack.id().shortHex() + " has only " + good
          + " readable shards of the " + k + " it needs: " + String.join("; ", problems),
          "selfstorage check --read-data");
    }
    boolean allData = true;
    for (int i = 0; i < k; i++) {
      allData &= bodies[i] != null;
    }
    int shardLength = (int) pack.shardLength();
    if (allData) {
      int length = (int) pack.length();
      byte[] out = buffers == null ? new byte[length] : buffers.take(length);
      int pos = 0;
      for (int i = 0; i < k && pos < length; i++) {
        int take = Math.min(shardLength - ShardFile.HEADER, length - pos);
        System.arraycopy(bodies[i], ShardFile.HEADER, out, pos, take);
        pos += take;
      }
      for (byte[] b : bodies) {
        shardBuffers.give(b);
      }
      return out;
    }
    for (int i = 0; i < n; i++) {
      if (bodies[i] != null) {
        byte[] whole = bodies[i];
        bodies[i] = ShardFile.body(whole, shardLength);
        shardBuffers.give(whole);
      }
    }
    return new ShardCodec(k, pack.parityShards()).decode(bodies, (int) pack.length());
  }

  /** How much longer than the first shard of a pack the slowest may take before another is read instead. */
  private static final int HEDGE_FACTOR = 4;
  private static final long HEDGE_FLOOR_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  /** Stores that kept a read waiting past the hedge: later packs read around them while they can. */
  private final java.util.Set<Long> slow = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Reads k shards at once, preferring data shards on stores that have not been slow. When the
   * first shard is in and another is still outstanding {@value #HEDGE_FACTOR} times later (at least
   * a second), one more shard is read from elsewhere (a hedged read), so a partner that has
   * silently stopped (SIGSTOP, a dead link) costs a second, not a whole {@code partner.timeout};
   * any k good shards decode the pack. A failed read is replaced at once. Returns how many good
   * shards are in {@code bodies}; {@code tried} marks every index read.
   */
  private int readHedged(Pack pack, Map<Integer, List<ShardRecord>> byIndex, byte[][] bodies, boolean[] tried,
      ProblemListener listener, List<String> problems, boolean checkBodies) {
    int k = pack.dataShards();
    int n = pack.shardCount();
    List<Integer> order = new ArrayList<>();
    List<Integer> onSlow = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean slowOnly = !byIndex.getOrDefault(i, List.of()).isEmpty()
          && byIndex.get(i).stream().allMatch(r -> slow.contains(r.storeId()));
      (slowOnly ? onSlow : order).add(i);
    }
    order.addAll(onSlow);
    java.util.concurrent.BlockingQueue<Integer> done = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.Map<Integer, java.util.concurrent.CompletableFuture<byte[]>> running = new java.util.HashMap<>();
    java.util.function.IntConsumer launch = i -> {
      tried[i] = true;
      running.put(i, java.util.concurrent.CompletableFuture.supplyAsync(() -> readShard(pack, i,
          byIndex.getOrDefault(i, List.of()), listener, problems, checkBodies), reads)
          .whenComplete((body, error) -> done.add(i)));
    };
    int next = 0;
    for (; next < k; next++) {
      launch.accept(order.get(next));
    }
    long start = System.nanoTime();
    long patience = 0; // set when the first read is in: how long a later one may lag behind it
    long hedgeAt = Long.MAX_VALUE;
    int good = 0;
    try {
      while (good < k && !running.isEmpty()) {
        long wait = hedgeAt - System.nanoTime();
        Integer i = hedgeAt == Long.MAX_VALUE || next >= n ? done.take()
            : done.poll(Math.max(0, wait), java.util.concurrent.TimeUnit.NANOSECONDS);
        if (i == null) {
          // the slowest read is late: read one more shard elsewhere, and read around its store from now on
          running.keySet().forEach(late -> byIndex.getOrDefault(late, List.of()).forEach(r -> slow.add(r.storeId())));
          launch.accept(order.get(next++));
          hedgeAt = System.nanoTime() + patience;
          continue;
        }
        byte[] body = running.remove(i).join();
        if (hedgeAt == Long.MAX_VALUE) {
          patience = Math.max(HEDGE_FLOOR_NANOS, HEDGE_FACTOR * (System.nanoTime() - start));
          hedgeAt = System.nanoTime() + patience;
        }
        if (body != null) {
          bodies[i] = body;
          good++;
          byIndex.getOrDefault(i, List.of()).forEach(r -> slow.remove(r.storeId()));
        } else if (next < n) {
          launch.accept(order.get(next++));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("INTERRUPTED", "reading pack " + pack.id().shortHex() + " was stopped", null);
    }
    return good;
  }

  /** The first good copy of a shard, verified, as the whole shard file (header included); null if none. */
  private byte[] readShard(Pack pack, int index, List<ShardRecord> copies, ProblemListener listener,
      List<String> problems, boolean checkBody) {
    if (copies.isEmpty()) {
      problems.add("shard " + index + " is recorded on no store");
    }
    for (ShardRecord copy : copies) {
      String storeName = "store #" + copy.storeId();
      try {
        OpenStore store = stores.get(copy.storeId()).orElse(null);
        if (store == null) {
          storeName = catalog.stores().byId(copy.storeId()).map(s -> s.name()).orElse(storeName);
          throw new ShardDamagedException("its store is unavailable");
        }
        storeName = store.name();
        ShardBytes shard = store.handle().get(ShardNames.of(pack.id(), index), shardBuffers::take);
        ShardFile.verify(shard.array(), shard.length(), pack.id(), index, keys.shardHeader(), checkBody);
        if (shard.length() != pack.shardLength()) {
          throw new ShardDamagedException("is " + shard.length() + " bytes, recorded " + pack.shardLength());
        }
        return shard.array(); // its first shardLength() bytes are the shard
      } catch (ShardDamagedException | FederationException e) {
        if (e instanceof PartnerUnreachableException || e instanceof StoreUnavailableException) {
          // a partner that stopped answering (or hangs: SIGSTOP, a dead link) would cost the full
          // stall timeout again for every later pack; the rest of the command reads around it
          stores.get(copy.storeId()).ifPresent(s -> stores.setAside(s, e.getMessage()));
        }
        String problem = e.getMessage();
        problems.add("shard " + index + " on " + storeName + ": " + problem);
        listener.onProblem(new ShardProblem(pack, index, storeName, problem));
      }
    }
    return null;
  }
}
