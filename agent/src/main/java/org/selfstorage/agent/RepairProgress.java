package org.selfstorage.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * A repair under way in the running agent: packs looked at so far, bytes read and written of the
 * estimated total, and when it should end at the pace so far (null until there is a pace).
 */
public record RepairProgress(Instant startedAt, long packsDone, long bytesDone, long bytesTotal, Instant eta) {

  static RepairProgress of(Instant startedAt, Instant now, Progress p) {
    Instant eta = null;
    if (p.bytes() > 0 && p.bytesTotal() > p.bytes()) {
      Duration spent = Duration.between(startedAt, now);
      eta = now.plus(Duration.ofMillis((long) (spent.toMillis() * ((double) (p.bytesTotal() - p.bytes()) / p.bytes()))));
    } else if (p.bytesTotal() >= 0 && p.bytes() >= p.bytesTotal()) {
      eta = now;
    }
    return new RepairProgress(startedAt, p.items(), p.bytes(), p.bytesTotal(), eta);
  }
}
