package org.selfstorage.agent.repo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Store;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardStores;

/** The stores of a home, opened; those that cannot be opened are kept with the reason. */
public final class StoreSet implements AutoCloseable {
  private final Map<Long, OpenStore> available = new LinkedHashMap<>();
  private final Map<Store, String> unavailable = new LinkedHashMap<>();

  private StoreSet() {}

  public static StoreSet open(Catalog catalog) {
    StoreSet set = new StoreSet();
    for (Store s : catalog.stores().list()) {
      try {
        if (!"local".equals(s.kind())) {
          set.unavailable.put(s, "stores of kind " + s.kind() + " are not supported by this version");
          continue;
        }
        set.available.put(s.id(), new OpenStore(s, ShardStores.openLocal(Path.of(s.location()))));
      } catch (FederationException e) {
        set.unavailable.put(s, e.getMessage());
      }
    }
    return set;
  }

  public List<OpenStore> available() {
    return new ArrayList<>(available.values());
  }

  public Optional<OpenStore> get(long storeId) {
    return Optional.ofNullable(available.get(storeId));
  }

  /** Stores that could not be opened, with the reason for each. */
  public Map<Store, String> unavailable() {
    return unavailable;
  }

  public long availableSites() {
    return available.values().stream().map(OpenStore::site).distinct().count();
  }

  @Override
  public void close() {
    available.values().forEach(s -> s.handle().close());
  }
}
