package org.selfstorage.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfstorage.agent.ManualClock;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.RetentionPolicy;

/** Scheduled backups, driven by an injected clock rather than by waiting. */
class ScheduledRunsTest {
  @TempDir Path dir;

  @Test
  void dailySchedule_runsOncePerDay_catchesUpOnce_andAppliesThePolicy() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = new Home(dir.resolve("home"));
    Agent.init(home, clock);
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "hello");
    try (Agent agent = Agent.open(home, clock)) {
      for (String site : List.of("a", "b", "c")) {
        agent.addStore(dir.resolve("stores").resolve(site), null, site);
      }
      agent.addSource(src, "docs", "daily");
      agent.setPolicy("docs", new RetentionPolicy(2, 0, 0, 0, 0, 0, Duration.ZERO));

      assertEquals(List.of(), agent.runScheduled(clock.instant()), "nothing is due before the first 02:00");
      clock.set(Instant.parse("2026-03-02T01:59:59Z"));
      assertEquals(List.of(), agent.runScheduled(clock.instant()));

      clock.set(Instant.parse("2026-03-02T02:00:30Z"));
      List<Agent.ScheduledRun> first = agent.runScheduled(clock.instant());
      assertEquals(1, first.size());
      assertNull(first.get(0).problem(), first.toString());
      assertEquals(List.of(), agent.runScheduled(clock.instant()), "one run per scheduled time");

      clock.set(Instant.parse("2026-03-03T02:01:00Z"));
      assertEquals(1, agent.runScheduled(clock.instant()).size());

      // off for a week: one run catches up, not seven
      clock.set(Instant.parse("2026-03-10T08:00:00Z"));
      List<Agent.ScheduledRun> caughtUp = agent.runScheduled(clock.instant());
      assertEquals(1, caughtUp.size());
      assertEquals(List.of(), agent.runScheduled(clock.instant()));
      assertTrue(caughtUp.get(0).forgotten().forgotten() >= 1, "keep-last 2 forgets the oldest");
      assertEquals(2, agent.snapshots("docs").size());

      agent.setSchedule("docs", "none");
      clock.set(Instant.parse("2026-03-20T08:00:00Z"));
      assertEquals(List.of(), agent.runScheduled(clock.instant()));
    }
  }
}
