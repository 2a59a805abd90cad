package org.selfstorage.agent.retention;

import org.selfstorage.agent.RetentionPolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Policies against expectations worked out by hand on a calendar (restic's forget semantics). */
class RetentionTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static RetentionPolicy policy(int last, int hourly, int daily, int weekly, int monthly, int yearly,
      Duration within) {
    return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, within);
  }

  /** One snapshot a day at 02:00 UTC through 2026. */
  private static List<Instant> dailyThrough2026() {
    List<Instant> out = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
      out.add(d.atTime(2, 0).toInstant(ZoneOffset.UTC));
    }
    return out;
  }

  private static Set<String> kept(List<Instant> times, RetentionPolicy p, ZoneId zone) {
    return Retention.apply(times, Function.identity(), p, zone).stream().filter(Retention.Verdict::kept)
        .map(v -> v.time().atZone(zone).toLocalDateTime().toString()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> days(String... dates) {
    return java.util.Arrays.stream(dates).map(d -> d + "T02:00").collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void keepTag_keepsEveryTaggedSnapshot_whateverItsAge_besideTheOtherRules() {
    List<Instant> year = dailyThrough2026();
    Set<Instant> tagged = Set.of(year.get(0), year.get(100)); // Jan 1 and Apr 11
    RetentionPolicy p = new RetentionPolicy(2, 0, 0, 0, 0, 0, Duration.ZERO, List.of("before-upgrade"));
    List<Retention.Verdict<Instant>> verdicts = Retention.apply(year, Function.identity(),
        t -> tagged.contains(t) ? List.of("before-upgrade", "other") : List.of(), java.util.Comparator.naturalOrder(),
        p, UTC);
    Set<String> got = verdicts.stream().filter(Retention.Verdict::kept)
        .map(v -> v.time().atZone(UTC).toLocalDate().toString()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("2026-01-01", "2026-04-11", "2026-12-30", "2026-12-31")), got);
    assertEquals(List.of("tag before-upgrade"), verdicts.stream().filter(v -> v.time().equals(year.get(0))).findFirst()
        .orElseThrow().reasons());
    // a policy of tags alone forgets every untagged snapshot, as restic's --keep-tag does
    RetentionPolicy onlyTags = new RetentionPolicy(0, 0, 0, 0, 0, 0, Duration.ZERO, List.of("before-upgrade"));
    assertEquals(2, Retention.apply(year, Function.identity(), t -> tagged.contains(t) ? List.of("before-upgrade")
        : List.of(), java.util.Comparator.naturalOrder(), onlyTags, UTC).stream().filter(Retention.Verdict::kept).count());
    assertEquals("--keep-last 2 --keep-tag before-upgrade", p.describe());
  }

  @Test
  void dailyWeeklyMonthly_overAYear_keepsTheHandComputedTwenty() {
    Set<String> got = kept(dailyThrough2026(), policy(0, 0, 7, 4, 12, 0, Duration.ZERO), UTC);
    // daily 7: Dec 25-31. Weekly 4 (ISO weeks; Dec 31 is a Thursday in week 53): Dec 31, 27, 20, 13.
    // Monthly 12: the last day of every month.
    Set<String> expected = days("2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29", "2026-12-30",
        "2026-12-31", "2026-12-20", "2026-12-13", "2026-11-30", "2026-10-31", "2026-09-30", "2026-08-31",
        "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31");
    assertEquals(expected, got);
    assertEquals(20, got.size());
  }

  @Test
  void reasons_nameEveryRuleThatKeepsASnapshot() {
    var verdicts = Retention.apply(dailyThrough2026(), Function.identity(), policy(1, 0, 2, 1, 1, 1, Duration.ZERO),
        UTC);
    assertEquals(List.of("last", "daily", "weekly", "monthly", "yearly"), verdicts.get(0).reasons());
    assertEquals(List.of("daily"), verdicts.get(1).reasons());
    assertEquals(List.of(), verdicts.get(2).reasons());
  }

  @Test
  void sameBucket_keepsOnlyTheNewest_andTiesAreCountedOnce() {
    Instant base = Instant.parse("2026-03-10T10:00:00Z");
    List<Instant> times = List.of(base, base.plusSeconds(600), base.plusSeconds(3599), base.plusSeconds(3600),
        base.plusSeconds(3600));
    // hourly 2: the newest of 11:00 (one of the two ties) and the newest of 10:xx (10:59:59)
    Set<String> got = kept(times, policy(0, 2, 0, 0, 0, 0, Duration.ZERO), UTC);
    assertEquals(new TreeSet<>(List.of("2026-03-10T11:00", "2026-03-10T10:59:59")), got);
    long keptCount = Retention.apply(times, Function.identity(), policy(0, 2, 0, 0, 0, 0, Duration.ZERO), UTC)
        .stream().filter(Retention.Verdict::kept).count();
    assertEquals(2, keptCount, "of two snapshots at the same instant only one takes the hour");
  }

  @Test
  void buckets_areInLocalTime() {
    // 23:30 UTC on Jan 1 is already Jan 2 in Berlin: two days there, one day in UTC
    List<Instant> times = List.of(Instant.parse("2026-01-01T22:30:00Z"), Instant.parse("2026-01-01T23:30:00Z"));
    assertEquals(1, kept(times, policy(0, 0, 5, 0, 0, 0, Duration.ZERO), UTC).size());
    assertEquals(2, kept(times, policy(0, 0, 5, 0, 0, 0, Duration.ZERO), ZoneId.of("Europe/Berlin")).size());
  }

  @Test
  void isoWeeks_crossTheYearBoundary() {
    // Fri 2027-01-01 is in ISO week 53 of 2026, with Thu 2026-12-31; Mon 2027-01-04 starts week 1
    List<Instant> times = List.of(Instant.parse("2026-12-31T02:00:00Z"), Instant.parse("2027-01-01T02:00:00Z"),
        Instant.parse("2027-01-04T02:00:00Z"));
    assertEquals(new TreeSet<>(List.of("2027-01-01T02:00", "2027-01-04T02:00")),
        kept(times, policy(0, 0, 0, 5, 0, 0, Duration.ZERO), UTC));
    // yearly does split them
    assertEquals(new TreeSet<>(List.of("2026-12-31T02:00", "2027-01-04T02:00")),
        kept(times, policy(0, 0, 0, 0, 0, 5, Duration.ZERO), UTC));
  }

  @Test
  void keepWithin_countsFromTheNewestSnapshot_andExcludesTheExactBoundary() {
    Instant newest = Instant.parse("2026-06-01T12:00:00Z");
    List<Instant> times = List.of(newest, newest.minus(Duration.ofDays(2)), newest.minus(Duration.ofDays(2))
        .plusSeconds(1), newest.minus(Duration.ofDays(30)));
    assertEquals(new TreeSet<>(List.of("2026-06-01T12:00", "2026-05-30T12:00:01")),
        kept(times, policy(0, 0, 0, 0, 0, 0, Duration.ofDays(2)), UTC));
  }

  @Test
  void unlimitedDaily_keepsOnePerDay_andKeepLastIsPerSnapshot() {
    List<Instant> times = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      for (int h = 0; h < 3; h++) {
        times.add(Instant.parse("2026-04-01T00:00:00Z").plus(Duration.ofDays(d)).plus(Duration.ofHours(h * 5)));
      }
    }
    assertEquals(10, kept(times, policy(0, 0, -1, 0, 0, 0, Duration.ZERO), UTC).size());
    assertEquals(4, kept(times, policy(4, 0, 0, 0, 0, 0, Duration.ZERO), UTC).size());
    // last 4 are the 3 of the last day and the newest of the day before; daily 2 adds nothing new
    assertEquals(4, kept(times, policy(4, 0, 2, 0, 0, 0, Duration.ZERO), UTC).size());
  }

  /** E2: the clock jumped back 30 days before the last backup; keep-last still keeps the newest made. */
  @Test
  void keepLast_countsTheOrderSnapshotsWereMade_notTheirTimes() {
    List<Instant> made = List.of(Instant.parse("2026-03-09T02:00:00Z"), Instant.parse("2026-03-10T02:00:00Z"),
        Instant.parse("2026-02-09T02:00:00Z")); // the third was made last, with the clock set back
    var verdicts = Retention.apply(made, Function.identity(), java.util.Comparator.comparing(made::indexOf),
        policy(2, 0, 0, 0, 0, 0, Duration.ZERO), UTC);
    Set<Instant> kept = new java.util.HashSet<>();
    verdicts.stream().filter(Retention.Verdict::kept).forEach(v -> kept.add(v.snapshot()));
    assertEquals(Set.of(made.get(1), made.get(2)), kept, "the two made last, though one looks a month old");
    assertEquals(List.of(made.get(1), made.get(0), made.get(2)),
        verdicts.stream().map(Retention.Verdict::snapshot).toList(), "verdicts are still listed newest time first");
    // by time alone (the old way) the newest snapshot would have been forgotten
    assertEquals(Set.of(made.get(0), made.get(1)), Retention.apply(made, Function.identity(),
        policy(2, 0, 0, 0, 0, 0, Duration.ZERO), UTC).stream().filter(Retention.Verdict::kept)
        .map(Retention.Verdict::snapshot).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void emptyPolicy_keepsEverything() {
    assertTrue(Retention.apply(dailyThrough2026(), Function.identity(), RetentionPolicy.KEEP_ALL, UTC).stream()
        .allMatch(Retention.Verdict::kept));
  }
}
