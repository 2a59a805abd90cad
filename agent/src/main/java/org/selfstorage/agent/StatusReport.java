package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * The state of a home at a glance. Pack health counts packs by their shards on usable stores:
 * healthy (all k + m), degraded (more than k, fewer than k + m), at risk (exactly k: one more loss
 * loses data) and lost (fewer than k).
 */
public record StatusReport(
    String home,
    List<StoreInfo> stores,
    List<SourceStatus> sources,
    long snapshots,
    long packs,
    long blobs,
    long storedBytes,
    String layout,
    PackHealth health,
    List<Finding> findings,
    RepairProgress repair) {

  public record SourceStatus(String name, String path, long snapshots, Instant lastBackup, String lastSnapshot) {}

  public record PackHealth(long healthy, long degraded, long atRisk, long lost) {}
}
