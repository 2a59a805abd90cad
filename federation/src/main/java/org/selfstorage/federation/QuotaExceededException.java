package org.selfstorage.federation;

/**
 * The partner refused a shard because it would take this agent past the quota the partner granted.
 * Nothing was left behind. It keeps the code {@code STORE_FULL}, as a full disk does: for the owner
 * both mean "place this shard elsewhere".
 */
public final class QuotaExceededException extends StoreFullException {
  public QuotaExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
