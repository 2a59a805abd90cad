package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * A partner as shown to users: the agreement both ways, and how it is doing.
 *
 * @param status {@code ok}, {@code unreachable} (the last contact failed: see problem) or {@code
 *     unknown} (never heard of since pairing)
 * @param hostsForThem quota: bytes of its shards we keep
 * @param usedByThem bytes of its shards we keep now (measured in its hosted directory here)
 * @param hostsForUs quota: bytes of our shards it keeps
 * @param storedWithThem bytes of our shards recorded on it (our catalog)
 * @param reportedByThem bytes of ours it said it keeps at the last contact, or -1
 * @param diskFree bytes free on the disk that keeps our shards there, as it said at its last hello
 *     since this process started, or -1 when not known
 * @param notWritable why its disk takes no new shards, as it said at its last hello since this
 *     process started; null when it takes them
 * @param maxRate how fast it takes shards from us at most, in bytes per second (its {@code
 *     hosting.max-rate}, as it said at its last hello since this process started; our uploads keep to
 *     it); 0 when it sets no limit or has not said
 * @param trust its trust score: the share of audit checks of our shards it passed over the last
 *     {@link #TRUST_WINDOW} (challenges answered right, shards read whole and sound), 0 to 1; -1
 *     when none were made
 * @param auditChecks the audit checks over that window
 * @param auditFailures the checks it failed (wrong or missing answers, damaged or missing shards)
 */
public record PartnerInfo(String name, String site, String status, String problem, Instant lastSeen,
    List<String> addresses, String fingerprint, long hostsForThem, long usedByThem, long hostsForUs,
    long storedWithThem, long reportedByThem, long shards, long diskFree, String notWritable, long maxRate,
    double trust,
    long auditChecks, long auditFailures) {
  /** How far back audits count toward the trust score. */
  public static final java.time.Duration TRUST_WINDOW = java.time.Duration.ofDays(30);
}
