package org.selfstorage.agent.repo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.mesh.PartnerLinks;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.catalog.Store;
import org.selfstorage.federation.Durability;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStores;

/**
 * The stores of a home, opened; those that cannot be opened are kept with the reason. Partners are
 * asked hello first, all at once, so a partner that is down counts as unavailable from the start
 * instead of failing the first shard sent to it. A store that fails during a command is set aside
 * with {@link #setAside} and later work places around it. A partner whose disk takes no new
 * shards (it said so at hello) is available for reads and left out of {@link #writable}.
 */
public final class StoreSet implements AutoCloseable {
  private final Map<Long, OpenStore> available = new LinkedHashMap<>();
  private final Map<Store, String> unavailable = new LinkedHashMap<>();
  private final Map<Long, String> readOnly = new LinkedHashMap<>();

  private StoreSet() {}

  /** Local stores only: partner stores are unavailable (tests and commands without partners). */
  public static StoreSet open(Catalog catalog) {
    return open(catalog, null);
  }

  public static StoreSet open(Catalog catalog, PartnerLinks links) {
    return open(catalog, links, Durability.system());
  }

  /** {@code durability}: how writes to local stores are made durable (a power-cut recorder in tests). */
  public static StoreSet open(Catalog catalog, PartnerLinks links, Durability durability) {
    StoreSet set = new StoreSet();
    List<Store> all = catalog.stores().list();
    Map<String, FederationException> partnerFailures = Map.of();
    if (links != null && all.stream().anyMatch(s -> s.kind().equals("partner"))) {
      partnerFailures = links.probeTyped(catalog.partners().list());
      partnerFailures.values().stream().filter(e -> e.code().equals("FENCED")).findFirst()
          .ifPresent(e -> {
            throw new AgentException("FENCED", e.getMessage(), "this machine's home is out of date: stop its agent "
                + "and use the recovered one; to use this machine again, move its home aside and run recover here");
          });
    }
    for (Store s : all) {
      try {
        switch (s.kind()) {
          case "local" -> set.available.put(s.id(), new OpenStore(s, ShardStores.openLocal(Path.of(s.location()), durability)));
          case "partner" -> {
            Optional<Partner> p = catalog.partners().byStore(s.id());
            if (p.isEmpty() || links == null) {
              set.unavailable.put(s, p.isEmpty() ? "no agreement with " + s.name() : "partners are not reachable here");
            } else if (partnerFailures.containsKey(p.get().name())) {
              set.unavailable.put(s, partnerFailures.get(p.get().name()).getMessage());
            } else {
              long used = catalog.shards().bytesOnStore(s.id());
              set.available.put(s.id(), new OpenStore(s, new PartnerStore(links.shardStore(p.get()),
                  p.get().hostsForUs(), used, links.diskFree(p.get().name()))));
              links.notWritable(p.get().name()).ifPresent(why -> set.readOnly.put(s.id(), why));
            }
          }
          default -> set.unavailable.put(s, "stores of kind " + s.kind() + " are not supported by this version");
        }
      } catch (FederationException e) {
        set.unavailable.put(s, e.getMessage());
      }
    }
    return set;
  }

  public synchronized List<OpenStore> available() {
    return new ArrayList<>(available.values());
  }

  /** The available stores that take new shards: where placement may put them. */
  public synchronized List<OpenStore> writable() {
    return available.values().stream().filter(s -> !readOnly.containsKey(s.id())).toList();
  }

  /** Sites of the stores that take new shards: what the layout of new packs follows from. */
  public synchronized long writableSites() {
    return writable().stream().map(OpenStore::site).distinct().count();
  }

  /** Available stores that take no new shards, by name, with the reason each gave. */
  public synchronized Map<String, String> readOnly() {
    Map<String, String> out = new LinkedHashMap<>();
    readOnly.forEach((id, why) -> out.put(available.get(id) != null ? available.get(id).name() : "store " + id, why));
    return out;
  }

  public synchronized Optional<OpenStore> get(long storeId) {
    return Optional.ofNullable(available.get(storeId));
  }

  /** Stores that could not be opened or were set aside, with the reason for each. */
  public synchronized Map<Store, String> unavailable() {
    return new LinkedHashMap<>(unavailable);
  }

  public synchronized long availableSites() {
    return available.values().stream().map(OpenStore::site).distinct().count();
  }

  /** Replaces a store's handle with a wrapper of it: for tests that make a store misbehave. */
  synchronized void wrap(long storeId, java.util.function.UnaryOperator<ShardStore> wrapper) {
    OpenStore s = available.get(storeId);
    available.put(storeId, new OpenStore(s.record(), wrapper.apply(s.handle())));
  }

  /** Takes a store that failed out of the set for the rest of this command. */
  public synchronized void setAside(OpenStore store, String reason) {
    if (available.remove(store.id()) != null) {
      unavailable.put(store.record(), reason);
    }
  }

  @Override
  public synchronized void close() {
    available.values().forEach(s -> s.handle().close());
  }
}
