package org.selfstorage.agent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Store;

class PlacementTest {
  private static final long GIB = 1L << 30;

  /** A candidate store; placement reads only the catalog record, so there is no open handle. */
  private static OpenStore store(long id, String site) {
    return new OpenStore(new Store(id, "store" + id, "local", "/stores/" + id, site, Instant.EPOCH), null);
  }

  private static List<OpenStore> oneStorePerSite(int count) {
    List<OpenStore> stores = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      stores.add(store(i, "site" + i));
    }
    return stores;
  }

  private static List<PackId> packs(int count, long seed) {
    Random random = new Random(seed);
    List<PackId> packs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[PackId.LENGTH];
      random.nextBytes(b);
      packs.add(new PackId(b));
    }
    return packs;
  }

  private static Map<Long, Long> sameFreeSpace(List<OpenStore> stores) {
    Map<Long, Long> free = new HashMap<>();
    stores.forEach(s -> free.put(s.id(), 100 * GIB));
    return free;
  }

  @Property(tries = 300)
  void choose_anyStoresAndSites_picksOneStorePerSiteAndAsManyAsPossible(
      @ForAll @IntRange(min = 0, max = 12) int storeCount, @ForAll @IntRange(min = 1, max = 6) int siteCount,
      @ForAll @IntRange(min = 0, max = 8) int n, @ForAll long seed) {
    Random random = new Random(seed);
    List<OpenStore> stores = new ArrayList<>();
    Map<Long, Long> free = new HashMap<>();
    for (int i = 0; i < storeCount; i++) {
      stores.add(store(i, "site" + random.nextInt(siteCount)));
      free.put((long) i, (1 + random.nextInt(1000)) * GIB / 10);
    }
    long sites = stores.stream().map(OpenStore::site).distinct().count();

    List<OpenStore> chosen = Placement.choose(packs(1, seed).get(0), n, stores, free);

    assertEquals(Math.min(n, sites), chosen.size());
    assertEquals(chosen.size(), chosen.stream().map(OpenStore::site).distinct().count(),
        "two shards of one pack on one site: " + chosen);
    assertTrue(stores.containsAll(chosen));
  }

  @Test
  void choose_candidatesInAnyOrder_givesTheSameStoresInTheSameOrder() {
    List<OpenStore> stores = new ArrayList<>(oneStorePerSite(6));
    stores.add(store(7, "site1"));
    stores.add(store(8, "site2"));
    Map<Long, Long> free = sameFreeSpace(stores);
    Random random = new Random(1);

    for (PackId pack : packs(200, 1)) {
      List<OpenStore> expected = Placement.choose(pack, 4, stores, free);
      List<OpenStore> shuffled = new ArrayList<>(stores);
      Collections.shuffle(shuffled, random);

      assertEquals(expected, Placement.choose(pack, 4, shuffled, free));
      assertEquals(expected, Placement.choose(pack, 4, List.copyOf(stores), new HashMap<>(free)));
    }
  }

  @Test
  void choose_differentPacks_spreadOverAllStores() {
    List<OpenStore> stores = oneStorePerSite(6);
    Map<OpenStore, Integer> first = new HashMap<>();

    for (PackId pack : packs(600, 2)) {
      first.merge(Placement.choose(pack, 3, stores, sameFreeSpace(stores)).get(0), 1, Integer::sum);
    }

    assertEquals(6, first.size());
    first.values().forEach(count -> assertTrue(count > 60 && count < 140, "first choices: " + first));
  }

  @Test
  void choose_afterAStoreIsRemoved_movesOnlyThePacksThatUsedIt() {
    // two stores on site1, so removal also exercises the best-store-per-site step
    List<OpenStore> stores = new ArrayList<>(oneStorePerSite(6));
    stores.add(store(7, "site1"));
    Map<Long, Long> free = sameFreeSpace(stores);
    for (OpenStore removed : List.copyOf(stores)) {
      List<OpenStore> rest = new ArrayList<>(stores);
      rest.remove(removed);
      int used = 0;

      for (PackId pack : packs(1000, removed.id())) {
        List<OpenStore> before = Placement.choose(pack, 3, stores, free);
        List<OpenStore> after = Placement.choose(pack, 3, rest, free);
        if (before.contains(removed)) {
          used++;
          List<OpenStore> kept = new ArrayList<>(before);
          kept.remove(removed);
          assertTrue(after.containsAll(kept), "pack " + pack + " lost more than " + removed.name() + ": " + before
              + " -> " + after);
        } else {
          assertEquals(before, after, "pack " + pack + " did not use " + removed.name() + " but moved");
        }
      }
      assertTrue(used > 100, removed.name() + " held shards of only " + used + " of 1000 packs");
    }
  }

  @Test
  void choose_afterAStoreIsAdded_movesOnlyThePacksThatNowUseIt() {
    List<OpenStore> stores = oneStorePerSite(5);
    OpenStore added = store(6, "site6");
    List<OpenStore> more = new ArrayList<>(stores);
    more.add(added);
    Map<Long, Long> free = sameFreeSpace(more);
    int moved = 0;

    for (PackId pack : packs(1000, 3)) {
      List<OpenStore> before = Placement.choose(pack, 3, stores, free);
      List<OpenStore> after = Placement.choose(pack, 3, more, free);
      if (after.contains(added)) {
        moved++;
      } else {
        assertEquals(before, after);
      }
    }
    // three of six sites: the new one takes part in about half the packs
    assertTrue(moved > 400 && moved < 600, "the new store took part in " + moved + " of 1000 packs");
  }

  @Test
  void choose_storeWithTenTimesTheFreeSpace_isChosenFirstFarMoreOften() {
    List<OpenStore> stores = oneStorePerSite(4);
    Map<Long, Long> free = sameFreeSpace(stores);
    OpenStore big = stores.get(2);
    free.put(big.id(), 10 * free.get(big.id()));
    Map<OpenStore, Integer> first = new HashMap<>();
    stores.forEach(s -> first.put(s, 0));

    for (PackId pack : packs(2000, 4)) {
      first.merge(Placement.choose(pack, 2, stores, free).get(0), 1, Integer::sum);
    }

    // weighted rendezvous: P(first) = weight / total weight = 10/13 for the big store, 1/13 for each other
    int bigFirst = first.get(big);
    assertTrue(bigFirst > 1400 && bigFirst < 1700, "big store first in " + bigFirst + " of 2000");
    for (OpenStore s : stores) {
      if (s != big) {
        assertTrue(first.get(s) * 5 < bigFirst, "first choices: " + first);
        assertTrue(first.get(s) > 80, s.name() + " is starved: " + first);
      }
    }
  }

  @Test
  void choose_moreShardsThanSites_returnsEverySiteOnce() {
    List<OpenStore> stores = new ArrayList<>(oneStorePerSite(3));
    stores.add(store(4, "site1"));
    stores.add(store(5, "site2"));

    List<OpenStore> chosen = Placement.choose(packs(1, 5).get(0), 5, stores, sameFreeSpace(stores));

    assertEquals(3, chosen.size());
    Set<String> sites = new HashSet<>();
    chosen.forEach(s -> sites.add(s.site()));
    assertEquals(Set.of("site1", "site2", "site3"), sites);
  }

  @Test
  void choose_noCandidates_returnsNothing() {
    assertTrue(Placement.choose(packs(1, 6).get(0), 3, List.of(), Map.of()).isEmpty());
  }
}
