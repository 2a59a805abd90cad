package org.selfstorage.agent.repo;

import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Catalog;

/** Loads trees from the catalog's local copy, or from the stores when the catalog lacks them. */
public final class TreeLoader {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private BlobReader reader;

  public TreeLoader(Catalog catalog, Keys keys, StoreSet stores) {
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
  }

  public Tree load(BlobId id) {
    byte[] data = catalog.trees().get(id).orElse(null);
    if (data == null) {
      if (reader == null) {
        reader = new BlobReader(catalog, keys, stores);
      }
      data = reader.read(id);
      catalog.trees().put(id, data);
    }
    return Tree.decode(data);
  }
}
