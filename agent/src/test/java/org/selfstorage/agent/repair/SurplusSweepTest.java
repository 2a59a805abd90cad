package org.selfstorage.agent.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.catalog.Store;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStores;

/**
 * The sweep deletes on certainty only (reliability.md §3.3, §6 E1): a file no pack needs goes after
 * two agreeing sweeps, never on a store whose clock is skewed, and a recorded shard never goes.
 */
class SurplusSweepTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  @TempDir Path dir;
  private Catalog catalog;
  private StoreSet stores;
  private final Random random = new Random(5);
  private ShardStore a;
  private ShardStore b;
  private ShardName recordedA;
  private ShardName recordedB;
  private ShardName strayA;
  private ShardName strayB;

  @BeforeEach
  void twoStoresWithARecordedShardAndAStrayEach() {
    catalog = Catalog.open(dir.resolve("catalog.db"));
    Store sa = addStore("a");
    Store sb = addStore("b");
    a = ShardStores.openLocal(dir.resolve("a"));
    b = ShardStores.openLocal(dir.resolve("b"));
    PackId pack = packId();
    catalog.packs().add(new Pack(pack, 100, 1, 1, 100, NOW), List.of(),
        List.of(new ShardRecord(pack, 0, sa.id(), new byte[32]), new ShardRecord(pack, 1, sb.id(), new byte[32])));
    recordedA = put(a, ShardNames.of(pack, 0));
    recordedB = put(b, ShardNames.of(pack, 1));
    strayA = put(a, ShardNames.of(packId(), 0));
    strayB = put(b, ShardNames.of(packId(), 1));
    stores = StoreSet.open(catalog);
  }

  @AfterEach
  void close() {
    stores.close();
    a.close();
    b.close();
    catalog.close();
  }

  @Test
  void skewedStore_isLeftAlone_othersNeedTwoAgreeingSweeps_recordedShardsStay() {
    SurplusSweep sweep = new SurplusSweep(catalog, stores);
    SurplusSweep.Outcome first = sweep.sweep(Map.of(), Set.of("a"));
    assertEquals(0, first.deleted(), "one sighting is not enough");
    assertTrue(exists(b, strayB));

    SurplusSweep.Outcome second = sweep.sweep(first.candidates(), Set.of("a"));
    assertEquals(1, second.deleted());
    assertTrue(!exists(b, strayB), "surplus on the store with a sane clock goes after the second sweep");
    assertTrue(exists(a, strayA), "nothing is deleted on a store whose clock disagrees with ours");

    // the clock agrees again: a's stray needs two sweeps of its own, counted from now
    SurplusSweep.Outcome third = sweep.sweep(second.candidates(), Set.of());
    assertEquals(0, third.deleted());
    SurplusSweep.Outcome fourth = sweep.sweep(third.candidates(), Set.of());
    assertEquals(1, fourth.deleted());
    assertTrue(!exists(a, strayA));
    assertTrue(exists(a, recordedA) && exists(b, recordedB), "shards a pack needs are never swept");
  }

  private Store addStore(String name) {
    ShardStores.initLocal(dir.resolve(name), "sweep-" + name).close();
    return catalog.stores().add(name, "local", dir.resolve(name).toString(), "site-" + name, NOW);
  }

  private PackId packId() {
    byte[] id = new byte[PackId.LENGTH];
    random.nextBytes(id);
    return new PackId(id);
  }

  private ShardName put(ShardStore store, ShardName name) {
    byte[] data = new byte[64];
    random.nextBytes(data);
    store.put(name, data);
    return name;
  }

  private static boolean exists(ShardStore store, ShardName name) {
    return store.stat(name).isPresent();
  }
}
