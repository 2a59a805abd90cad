package org.selfstorage.agent.repo;

import org.selfstorage.catalog.Store;
import org.selfstorage.federation.ShardStore;

/** A store of the catalog together with its opened handle. */
public record OpenStore(Store record, ShardStore handle) {
  public String name() {
    return record.name();
  }

  public String site() {
    return record.site();
  }

  public long id() {
    return record.id();
  }
}
