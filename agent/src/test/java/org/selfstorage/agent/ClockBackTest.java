package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md E2: the clock jumps back 30 days between two backups. {@code forget} with
 * keep-last 2 keeps the two snapshots made last, though the newest carries a month-old time, and
 * it restores exact.
 */
class ClockBackTest {
  @TempDir Path dir;

  @Test
  void forgetKeepsTheNewestSnapshots_afterTheClockJumpedBack() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Home home = new Home(dir.resolve("home"));
    Clock clock = Clock.systemUTC();
    Agent.init(home, clock);
    try (Agent a = Agent.open(home, clock)) {
      for (int i = 1; i <= 3; i++) {
        a.addStore(dir.resolve("store" + i), "s" + i, "site" + i);
      }
      a.addSource(src, "docs");
      a.setPolicy("docs", new RetentionPolicy(2, 0, 0, 0, 0, 0, Duration.ZERO));
      Instant t = Instant.parse("2026-03-09T02:00:00Z");
      Files.writeString(src.resolve("f"), "one");
      a.backup("docs", t, Progress.Listener.NONE);
      Files.writeString(src.resolve("f"), "two");
      String second = a.backup("docs", t.plus(Duration.ofDays(1)), Progress.Listener.NONE).snapshotId();
      Files.writeString(src.resolve("f"), "three");
      String third = a.backup("docs", t.minus(Duration.ofDays(30)), Progress.Listener.NONE).snapshotId();

      a.forget("docs", false);
      Set<String> left = a.snapshots("docs").stream().map(SnapshotInfo::id).collect(Collectors.toSet());
      assertEquals(Set.of(second, third), left, "the two made last are kept");
      a.prune(Progress.Listener.NONE);
      Path out = dir.resolve("out");
      a.restore(third, out, List.of(), Progress.Listener.NONE);
      assertEquals("three", Files.readString(out.resolve("f")));
    }
  }
}
