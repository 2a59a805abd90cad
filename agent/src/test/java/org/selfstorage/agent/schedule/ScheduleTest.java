package org.selfstorage.agent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void names_meanFixedTimes() {
    Instant t = Instant.parse("2026-11-25T10:15:00Z"); // a Wednesday
    assertEquals(Instant.parse("2026-11-25T11:00:00Z"), Schedule.parse("hourly").nextAfter(t, UTC));
    assertEquals(Instant.parse("2026-11-26T02:00:00Z"), Schedule.parse("daily").nextAfter(t, UTC));
    assertEquals(Instant.parse("2026-11-29T02:00:00Z"), Schedule.parse("weekly").nextAfter(t, UTC));
    assertEquals(Instant.parse("2026-11-26T03:30:00Z"), Schedule.parse("30 3 * * 1-5").nextAfter(t, UTC));
  }

  @Test
  void localTime_decides() {
    Instant t = Instant.parse("2026-11-25T00:30:00Z"); // 01:30 in Berlin
    assertEquals(Instant.parse("2026-11-25T01:00:00Z"), Schedule.parse("daily").nextAfter(t, ZoneId.of("Europe/Berlin")));
  }

  @Test
  void missedRuns_catchUpOnce() {
    Schedule daily = Schedule.parse("daily");
    Instant last = Instant.parse("2026-11-20T02:00:05Z");
    // the machine was off for five days: one run is due now
    assertTrue(daily.isDue(last, Instant.parse("2026-11-25T09:00:00Z"), UTC));
    // after it ran at 09:00 nothing more is due until the next 02:00
    assertFalse(daily.isDue(Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-26T01:59:59Z"), UTC));
    assertTrue(daily.isDue(Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-26T02:00:00Z"), UTC));
  }

  @Test
  void garbage_isRefusedWithTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("every tuesday"));
    assertTrue(e.getMessage().contains("cron expression"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse("61 * * * *"));
  }
}
