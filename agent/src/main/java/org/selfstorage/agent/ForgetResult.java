package org.selfstorage.agent;

import java.time.Instant;
import java.util.List;

/**
 * What forget decided, source by source: every snapshot with the rules that keep it (none: it is
 * forgotten). With {@code dryRun} nothing was changed.
 */
public record ForgetResult(boolean dryRun, List<SourceVerdicts> sources) {
  public record SourceVerdicts(String source, String policy, List<Entry> snapshots) {}

  public record Entry(String id, Instant time, List<String> keptBy) {
    public boolean kept() {
      return !keptBy.isEmpty();
    }
  }

  public long forgotten() {
    return sources.stream().flatMap(s -> s.snapshots().stream()).filter(e -> !e.kept()).count();
  }
}
