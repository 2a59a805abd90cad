package org.selfstorage.agent;

import java.util.List;

/**
 * What one audit round found: per store, how many shards answered a challenge and how many were
 * read whole; the shards proven damaged or missing (each naming pack, shard, store and what is
 * wrong); and the repair that followed, if any.
 */
public record AuditResult(List<StoreAudit> stores, List<String> damaged, RepairResult repair, long notReadInPeriod) {

  /**
   * One store's part: {@code problem} is set when it could not be audited (unreachable); a
   * {@code wrongAnswers} shard that then reads back intact is counted there, and not as damaged.
   */
  public record StoreAudit(String store, int challenged, int wrongAnswers, int read, long bytesRead, int rotReported,
      String problem) {}

  public boolean clean() {
    return damaged.isEmpty() && stores.stream().allMatch(s -> s.wrongAnswers() == 0);
  }
}
