package org.selfstorage.agent;

/**
 * What {@code partners set-quota} did: the partner as it stands now, the quota it had before, and
 * whether the partner heard of the change (if not, it learns it at its next hello).
 */
public record QuotaChange(PartnerInfo partner, long previousQuota, boolean partnerNotified) {
  /** The partner already keeps more here than the new quota: nothing is deleted, its new shards are refused. */
  public boolean overQuota() {
    return partner.usedByThem() > partner.hostsForThem();
  }
}
