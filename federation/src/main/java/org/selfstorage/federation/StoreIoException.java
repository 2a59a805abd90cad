package org.selfstorage.federation;

/** Reading or writing a shard failed for a reason other than a missing shard or a full store. */
public final class StoreIoException extends FederationException {
  public StoreIoException(String message, Throwable cause) {
    super("STORE_IO", message, cause);
  }
}
