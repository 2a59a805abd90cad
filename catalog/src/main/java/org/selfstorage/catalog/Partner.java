package org.selfstorage.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A partner agent and our agreement with it. {@code storeId} is the store (kind {@code partner})
 * that holds the shards it keeps for us. A partner with {@code revokedAt} set is being removed: its
 * key may no longer log in. A partner with {@code endedAt} set ended the agreement from its side (it
 * said it is leaving, or no longer knows our key): it keeps nothing for us.
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
    long epoch,
    Instant endedAt) {
  public Partner {
    publicKey = publicKey.clone();
    addresses = List.copyOf(addresses);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }
}
