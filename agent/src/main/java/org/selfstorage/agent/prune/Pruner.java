package org.selfstorage.agent.prune;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.PruneResult;
import org.selfstorage.agent.pack.BufferPool;
import org.selfstorage.agent.pack.PackWriter;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.PackFetcher;
import org.selfstorage.agent.repo.PackUploader;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.repo.TreeLoader;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.federation.FederationException;

/**
 * Removes what no snapshot references, in an order that a crash at any point cannot turn into a
 * loss: (1) mark every blob reachable from a remaining snapshot; (2) copy the used blobs of mostly
 * unused packs into new packs, which are recorded (taking over those blobs) only once all their
 * shards are stored; (3) retire the unused and the copied packs in the catalog, one transaction
 * each, turning their shard records into pending deletions; (4) delete the pending shard files,
 * store by store, forgetting each pending row only once its file is gone. The caller holds the
 * home's lock, so no backup runs meanwhile and a blob cannot become used again between (1) and (3).
 */
public final class Pruner {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Clock clock;
  private final Progress.Listener listener;
  private final int tolerate;
  private final int repackUnusedPercent;

  public Pruner(Catalog catalog, Keys keys, StoreSet stores, Clock clock, Progress.Listener listener, int tolerate,
      int repackUnusedPercent) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.clock = clock;
    this.listener = listener;
    this.tolerate = tolerate;
    this.repackUnusedPercent = repackUnusedPercent;
  }

  public PruneResult prune() throws InterruptedException {
    long start = System.nanoTime();
    long[] deletedEarlier = deletePending();
    Set<BlobId> used = mark();
    List<Pack> unused = new ArrayList<>();
    List<Pack> repack = new ArrayList<>();
    long blobsRemoved = 0;
    for (Pack pack : catalog.packs().list()) {
      List<BlobEntry> blobs = catalog.blobs().inPack(pack.id());
      long total = 0;
      long live = 0;
      int liveCount = 0;
      for (BlobEntry b : blobs) {
        total += b.length();
        if (used.contains(b.id())) {
          live += b.length();
          liveCount++;
        }
      }
      if (liveCount == 0) {
        unused.add(pack);
        blobsRemoved += blobs.size();
      } else if (total > 0 && (total - live) * 100 > (long) repackUnusedPercent * total) {
        repack.add(pack);
        blobsRemoved += blobs.size() - liveCount;
      }
    }
    if (!repack.isEmpty()) {
      copyLiveBlobs(repack, used);
    }
    for (Pack p : unused) {
      catalog.packs().retire(p.id(), clock.instant());
    }
    for (Pack p : repack) {
      catalog.packs().retire(p.id(), clock.instant());
    }
    catalog.trees().dropUnreferenced();
    long[] deleted = deletePending();
    return new PruneResult(unused.size(), repack.size(), blobsRemoved, (int) (deleted[0] + deletedEarlier[0]),
        deleted[1] + deletedEarlier[1], catalog.packs().pendingDeletes().size(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Every blob reachable from a remaining snapshot: its trees and the chunks of its files. */
  private Set<BlobId> mark() {
    TreeLoader trees = new TreeLoader(catalog, keys, stores);
    Set<BlobId> used = new HashSet<>();
    long done = 0;
    for (Snapshot s : catalog.snapshots().list()) {
      Deque<BlobId> todo = new ArrayDeque<>();
      todo.push(s.rootTree());
      while (!todo.isEmpty()) {
        BlobId id = todo.pop();
        if (!used.add(id)) {
          continue;
        }
        Tree tree = trees.load(id);
        for (Node n : tree.nodes()) {
          if (n.subtree() != null) {
            todo.push(n.subtree());
          }
          if (n.content() != null) {
            for (ChunkRef c : n.content()) {
              if (!c.isZeros()) {
                used.add(c.blob());
              }
            }
          }
        }
      }
      listener.onProgress(new Progress("prune: marking", ++done, 0, -1, 0, s.id().shortHex()));
    }
    return used;
  }

  /** Copies the used blobs of the given packs, still sealed, into new packs spread like any other. */
  private void copyLiveBlobs(List<Pack> packs, Set<BlobId> used) throws InterruptedException {
    ExecutorService encoders = Executors.newFixedThreadPool(1);
    ExecutorService io = Executors.newFixedThreadPool(8);
    try {
      PackUploader uploader = new PackUploader(catalog, keys, stores, tolerate, encoders, io, clock, 2);
      uploader.relocating();
      uploader.currentLayout();
      SecureRandom random = new SecureRandom();
      int capacity = BufferPool.lengthWithin(PackWriter.TARGET_SIZE + (8 << 20));
      BufferPool buffers = new BufferPool(5);
      PackWriter data = new PackWriter(PackWriter.TARGET_SIZE, capacity, keys.packHeader(), random, buffers);
      PackWriter treesOut = new PackWriter(PackWriter.TARGET_SIZE, capacity, keys.packHeader(), random, buffers);
      PackFetcher fetcher = new PackFetcher(catalog, keys, stores);
      long done = 0;
      for (Pack pack : packs) {
        byte[] bytes = fetcher.fetch(pack, problem -> { });
        for (BlobEntry b : catalog.blobs().inPack(pack.id())) {
          if (!used.contains(b.id())) {
            continue;
          }
          PackWriter w = b.type() == BlobType.TREE ? treesOut : data;
          w.add(b.id(), b.type(), java.util.Arrays.copyOfRange(bytes, b.offset(), b.offset() + b.length()),
              b.rawLength());
          if (w.isFull()) {
            uploader.upload(w.finish());
          }
        }
        listener.onProgress(new Progress("prune: repacking", ++done, 0, packs.size(), 0, pack.id().shortHex()));
      }
      for (PackWriter w : List.of(data, treesOut)) {
        if (!w.isEmpty()) {
          uploader.upload(w.finish());
        }
      }
      uploader.awaitAll();
    } finally {
      encoders.shutdownNow();
      io.shutdownNow();
    }
  }

  /** Deletes the files of pending deletions; returns {files deleted, bytes freed}. */
  private long[] deletePending() {
    long files = 0;
    long bytes = 0;
    for (ShardRecord r : catalog.packs().pendingDeletes()) {
      OpenStore store = stores.get(r.storeId()).orElse(null);
      if (store == null) {
        if (catalog.stores().byId(r.storeId()).isEmpty()) {
          catalog.packs().deleted(r.packId(), r.index(), r.storeId()); // the store itself is gone
        }
        continue;
      }
      try {
        var name = ShardNames.of(r.packId(), r.index());
        long size = store.handle().stat(name).map(st -> st.size()).orElse(0L);
        store.handle().delete(name);
        catalog.packs().deleted(r.packId(), r.index(), r.storeId());
        files++;
        bytes += size;
      } catch (FederationException e) {
        // stays pending: the next prune tries again
      }
      listener.onProgress(new Progress("prune: deleting", files, bytes, -1, 0, store.name()));
    }
    return new long[] {files, bytes};
  }
}
