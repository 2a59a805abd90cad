package org.selfstorage.agent.health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.selfstorage.agent.IfLostReport;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Snapshot;

/**
 * Answers "what would I lose if this store vanished now?" from the catalog alone: the packs
 * counted without its shards, and, for packs that would fall below k shards, the files whose
 * contents (or whose directory listing) live in them. Each tree is walked once however many
 * snapshots share it, and trees come from the catalog's cache.
 */
public final class LossForecast {
  private final Catalog catalog;
  private final Function<BlobId, Tree> trees;
  private final Map<BlobId, long[]> lossOfTree = new HashMap<>();
  private final Map<BlobId, long[]> sizeOfTree = new HashMap<>();
  private Set<BlobId> lostBlobs;

  /** @param trees loads a tree (the catalog's cached copy, else from the stores) */
  public LossForecast(Catalog catalog, Function<BlobId, Tree> trees) {
    this.catalog = catalog;
    this.trees = trees;
  }

  public IfLostReport forecast(String name, long storeId, LongPredicate readableNow) {
    PackCensus census = PackCensus.take(catalog, id -> id != storeId && readableNow.test(id));
    lostBlobs = new HashSet<>();
    for (Map.Entry<PackId, PackCensus.State> e : census.states().entrySet()) {
      if (e.getValue() == PackCensus.State.LOST) {
        for (BlobEntry b : catalog.blobs().inPack(e.getKey())) {
          lostBlobs.add(b.id());
        }
      }
    }
    List<IfLostReport.SnapshotLoss> losses = new ArrayList<>();
    if (!lostBlobs.isEmpty()) {
      Map<Long, String> sources = new HashMap<>();
      catalog.sources().list().forEach(s -> sources.put(s.id(), s.name()));
      for (Snapshot s : catalog.snapshots().list()) {
        long[] lost = lostIn(s.rootTree());
        if (lost[0] > 0) {
          losses.add(new IfLostReport.SnapshotLoss(s.id().hex(), sources.getOrDefault(s.sourceId(), "?"), s.time(),
              lost[0], lost[1]));
        }
      }
    }
    return new IfLostReport(name, catalog.shards().countOnStore(storeId), census.health(), losses);
  }

  /** Files and bytes under a tree that could not be restored. */
  private long[] lostIn(BlobId treeId) {
    long[] known = lossOfTree.get(treeId);
    if (known != null) {
      return known;
    }
    if (lostBlobs.contains(treeId)) {
      long[] all = sizeOf(treeId); // the listing itself is gone: nothing below it can be found
      lossOfTree.put(treeId, all);
      return all;
    }
    long[] sum = new long[2];
    for (Node n : trees.apply(treeId).nodes()) {
      if (n.subtree() != null) {
        long[] sub = lostIn(n.subtree());
        sum[0] += sub[0];
        sum[1] += sub[1];
      } else if (n.content().stream().map(ChunkRef::blob).anyMatch(lostBlobs::contains)) {
        sum[0]++;
        sum[1] += n.size();
      }
    }
    lossOfTree.put(treeId, sum);
    return sum;
  }

  /** Files and bytes under a tree, all of them. */
  private long[] sizeOf(BlobId treeId) {
    long[] known = sizeOfTree.get(treeId);
    if (known != null) {
      return known;
    }
    long[] sum = new long[2];
    for (Node n : trees.apply(treeId).nodes()) {
      if (n.subtree() != null) {
        long[] sub = sizeOf(n.subtree());
        sum[0] += sub[0];
        sum[1] += sub[1];
      } else if (n.type() == NodeType.FILE) {
        sum[0]++;
        sum[1] += n.size();
      }
    }
    sizeOfTree.put(treeId, sum);
    return sum;
  }
}
