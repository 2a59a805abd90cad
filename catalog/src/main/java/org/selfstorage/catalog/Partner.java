package org.selfstorage.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A partner agent and our agreement with it. {@code storeId} is the store (kind {@code partner})
 * that holds the shards it keeps for us. A partner with {@code revokedAt} set is being removed: its
 * key may no longer log in.
 */
public record Partner(
    long id,
    String name,
    byte[] publicKey,
    List<String> addresses,
    long storeId,
    long hostsForThem,
    long hostsForUs,
    Instant pairedAt,
    Instant lastSeen,
    String lastError,
    Long reportedUsed,
    Instant revokedAt,
    long epoch) {
  public Partner {
    publicKey = publicKey.clone();
    addresses = List.copyOf(addresses);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }
}
