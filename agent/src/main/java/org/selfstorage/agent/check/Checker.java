package org.selfstorage.agent.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.CheckResult;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.ReadSubset;
import org.selfstorage.agent.pack.BlobSealer;
import org.selfstorage.agent.pack.ShardDamagedException;
import org.selfstorage.agent.audit.Challenge;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repo.CatalogReplica;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.PackFetcher;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.repo.TreeLoader;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStat;

/**
 * Checks that every snapshot can be restored. Without reading data: the catalog's structure, every
 * tree, every referenced blob, and every recorded shard's presence and size on its store. With
 * {@code readData}: every shard is read and verified (header tag and checksum) and every pack is
 * decoded and all its blobs authenticated, naming each damaged shard and its store.
 */
public final class Checker {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final Progress.Listener listener;

  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private final java.time.Clock clock;

  public Checker(Catalog catalog, Keys keys, StoreSet stores, java.time.Clock clock, Progress.Listener listener) {
    this.clock = clock;
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.listener = listener;
  }

  public CheckResult check(boolean readData) {
    return check(readData ? ReadSubset.ALL : ReadSubset.NONE);
  }

  /** As above, reading in full the packs {@code subset} takes (the others: presence and size). */
  public CheckResult check(ReadSubset subset) {
    boolean readData = subset.readsData();
    List<String> damaged = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String integrity = catalog.integrityCheck();
    if (!"ok".equals(integrity)) {
      errors.add("the catalog file is damaged: " + integrity);
    }
    for (var e : stores.unavailable().entrySet()) {
      damaged.add("store " + e.getKey().name() + " is unavailable (" + e.getValue() + "): all its shards are missing");
    }

    // 1. trees and referenced blobs
    TreeLoader trees = new TreeLoader(catalog, keys, stores);
    Set<BlobId> seenTrees = new HashSet<>();
    Set<BlobId> dataBlobs = new HashSet<>();
    List<Snapshot> snapshots = catalog.snapshots().list();
    for (Snapshot s : snapshots) {
      walk(trees, s.rootTree(), "snapshot " + s.id().shortHex(), seenTrees, dataBlobs, errors);
    }
    for (BlobId b : dataBlobs) {
      if (catalog.blobs().get(b).isEmpty()) {
        errors.add("data blob " + b.shortHex() + " is referenced by a snapshot but is not stored");
      }
    }

    // 2. shards: presence (listing) or full verification (reading)
    Map<Long, Map<String, Long>> listings = new HashMap<>();
    for (OpenStore s : stores.available()) {
      try {
        Map<String, Long> sizes = new HashMap<>();
        for (ShardStat st : s.handle().list("")) {
          if (!CatalogReplica.isReplica(st.name())) {
            sizes.put(st.name().value(), st.size());
          }
        }
        listings.put(s.id(), sizes);
      } catch (FederationException e) {
        damaged.add("store " + s.name() + " cannot be listed: " + e.getMessage());
      }
    }
    PackFetcher fetcher = new PackFetcher(catalog, keys, stores);
    BlobSealer sealer = new BlobSealer(keys.blob(), 1);
    long shardsRead = 0;
    long bytesRead = 0;
    long packsDone = 0;
    Set<String> recorded = new HashSet<>();
    long packsRead = 0;
    for (Pack pack : catalog.packs().list()) {
      List<ShardRecord> shards = catalog.shards().ofPack(pack.id());
      boolean read = subset.includes(pack.id());
      packsRead += read ? 1 : 0;
      int good = 0;
      for (ShardRecord r : shards) {
        String name = ShardNames.of(pack.id(), r.index()).value();
        recorded.add(r.storeId() + "/" + name);
        OpenStore store = stores.get(r.storeId()).orElse(null);
        if (store == null) {
          continue; // already reported as an unavailable store
        }
        Map<String, Long> listing = listings.get(store.id());
        if (listing == null) {
          continue;
        }
        String where = "shard " + r.index() + " of pack " + pack.id().shortHex() + " on store " + store.name()
            + " (" + store.handle().describe() + "/shards/" + name.substring(0, 2) + "/" + name + ")";
        Long size = listing.get(name);
        if (size == null) {
          damaged.add(where + " is missing");
          continue;
        }
        if (size != pack.shardLength()) {
          damaged.add(where + " has " + size + " bytes instead of " + pack.shardLength());
          continue;
        }
        if (read) {
          try {
            byte[] shard = store.handle().get(new ShardName(name));
            shardsRead++;
            bytesRead += shard.length;
            ShardFile.verify(shard, pack.id(), r.index(), keys.shardHeader());
            // a full read is what audits spread over audit.verify-every: this one counts too
            catalog.audits().renew(pack.id(), r.index(), Challenge.fresh(ShardFile.body(shard), random), clock.instant());
          } catch (ShardDamagedException | FederationException e) {
            damaged.add(where + " is damaged: " + e.getMessage());
            continue;
          }
        }
        good++;
      }
      if (good < pack.dataShards()) {
        errors.add("pack " + pack.id().shortHex() + " has " + good + " good shards but needs " + pack.dataShards()
            + ": its blobs cannot be restored");
      } else if (read) {
        verifyBlobs(pack, fetcher, sealer, errors);
      }
      packsDone++;
      listener.onProgress(new Progress("check", packsDone, bytesRead, -1, 0, pack.id().shortHex()));
    }
    for (var l : listings.entrySet()) {
      List<String> orphans = l.getValue().keySet().stream().filter(n -> !recorded.contains(l.getKey() + "/" + n))
          .sorted().toList();
      if (!orphans.isEmpty()) {
        String store = stores.get(l.getKey()).map(OpenStore::name).orElse("?");
        notes.add(orphans.size() + " shard files on store " + store + " are not referenced by the catalog (left by "
            + "an interrupted backup or a move; the agent's sweep removes them); they are harmless: "
            + String.join(", ", orphans.subList(0, Math.min(10, orphans.size())))
            + (orphans.size() > 10 ? ", ..." : ""));
      }
    }
    return new CheckResult(snapshots.size(), seenTrees.size(), catalog.packs().count(), packsRead, shardsRead,
        bytesRead, readData, damaged, errors, notes);
  }

  private void verifyBlobs(Pack pack, PackFetcher fetcher, BlobSealer sealer, List<String> errors) {
    byte[] bytes;
    try {
      bytes = fetcher.fetch(pack, p -> {});
    } catch (AgentException e) {
      errors.add(e.getMessage());
      return;
    }
    for (BlobEntry b : catalog.blobs().inPack(pack.id())) {
      try {
        sealer.open(b.id(), bytes, b.offset(), b.length(), b.rawLength());
      } catch (RuntimeException e) {
        errors.add("blob " + b.id().shortHex() + " in pack " + pack.id().shortHex() + " fails verification: "
            + e.getMessage());
      }
    }
  }

  private void walk(TreeLoader trees, BlobId id, String where, Set<BlobId> seen, Set<BlobId> dataBlobs,
      List<String> errors) {
    if (!seen.add(id)) {
      return;
    }
    Tree tree;
    try {
      tree = trees.load(id);
    } catch (RuntimeException e) {
      errors.add("tree " + id.shortHex() + " of " + where + " cannot be read: " + e.getMessage());
      return;
    }
    for (Node n : tree.nodes()) {
      if (n.subtree() != null) {
        walk(trees, n.subtree(), where, seen, dataBlobs, errors);
      }
      for (ChunkRef c : n.content()) {
        if (!c.isZeros()) {
          dataBlobs.add(c.blob());
        }
      }
    }
  }
}
