package org.selfstorage.federation;

/** The store cannot be reached or is not what it claims (an unmounted disk, a wiped directory). */
public final class StoreUnavailableException extends FederationException {
  public StoreUnavailableException(String message, Throwable cause) {
    super("STORE_UNAVAILABLE", message, cause);
  }
}
