package org.selfstorage.federation;

/** The store does not hold the named shard. */
public final class ShardNotFoundException extends FederationException {
  public ShardNotFoundException(ShardName name, String store) {
    super("SHARD_MISSING", "shard " + name.value() + " is missing from " + store, null);
  }
}
