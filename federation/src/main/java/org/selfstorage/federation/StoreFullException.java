package org.selfstorage.federation;

/** The store has no room for a shard; nothing partial was left behind. */
public class StoreFullException extends FederationException {
  public StoreFullException(String message, Throwable cause) {
    super("STORE_FULL", message, cause);
  }
}
