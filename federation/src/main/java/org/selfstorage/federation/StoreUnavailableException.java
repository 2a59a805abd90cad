package org.selfstorage.federation;

/** The store cannot be reached or is not what it claims (an unmounted disk, a wiped directory). */
public class StoreUnavailableException extends FederationException {
  public StoreUnavailableException(String message, Throwable cause) {
    super("STORE_UNAVAILABLE", message, cause);
  }

  /** For narrower situations with their own code, such as {@link PartnerUnreachableException}. */
  protected StoreUnavailableException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
