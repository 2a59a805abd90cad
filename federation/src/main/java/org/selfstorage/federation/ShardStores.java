package org.selfstorage.federation;

import java.nio.file.Path;
import org.selfstorage.federation.store.LocalDirShardStore;

/** Opens shard stores. */
public final class ShardStores {
  private ShardStores() {}

  /**
   * Opens a local-directory store that was initialised before; fails with
   * {@link StoreUnavailableException} when the directory is missing or not a store (an external
   * disk that is not mounted shows as an empty directory).
   */
  public static ShardStore openLocal(Path root) {
    return LocalDirShardStore.open(root);
  }

  /** As {@link #openLocal(Path)}, making writes durable through {@code durability}. */
  public static ShardStore openLocal(Path root, Durability durability) {
    return LocalDirShardStore.open(root, durability);
  }

  /** Makes a directory into a store (or accepts one that already is); returns it opened. */
  public static ShardStore initLocal(Path root, String storeId) {
    return LocalDirShardStore.init(root, storeId);
  }
}
