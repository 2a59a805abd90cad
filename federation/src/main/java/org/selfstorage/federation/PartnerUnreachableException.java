package org.selfstorage.federation;

/**
 * A partner could not be reached, or stopped answering within its deadline. The shard store is
 * unavailable for now; the operation may be retried later. Code {@code PARTNER_UNREACHABLE}.
 */
public final class PartnerUnreachableException extends StoreUnavailableException {
  public PartnerUnreachableException(String message, Throwable cause) {
    super("PARTNER_UNREACHABLE", message, cause);
  }
}
