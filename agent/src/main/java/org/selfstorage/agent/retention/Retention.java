package org.selfstorage.agent.retention;

import org.selfstorage.agent.RetentionPolicy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies a {@link RetentionPolicy} to the snapshots of one source, as restic's {@code
 * ApplyPolicy} does: newest first, each bucket rule keeps a snapshot when its bucket differs from
 * the last bucket that rule kept, until its count is used up.
 */
public final class Retention {
  private Retention() {}

  /** One snapshot's verdict: the rules that keep it (empty: it is forgotten). */
  public record Verdict<T>(T snapshot, Instant time, List<String> reasons) {
    public boolean kept() {
      return !reasons.isEmpty();
    }
  }

  private static final class Rule {
    final String name;
    int left;
    final Function<ZonedDateTime, Long> bucket;
    Long lastBucket;

    Rule(String name, int count, Function<ZonedDateTime, Long> bucket) {
      this.name = name;
      this.left = count;
      this.bucket = bucket;
    }
  }

  /**
   * The verdict for every snapshot, newest first. {@code timeOf} gives each snapshot's time;
   * buckets are in {@code zone}.
   */
  public static <T> List<Verdict<T>> apply(List<T> snapshots, Function<T, Instant> timeOf, RetentionPolicy policy,
      ZoneId zone) {
    return apply(snapshots, timeOf, Comparator.comparing(timeOf), policy, zone);
  }

  /**
   * As above, with keep-last counting the snapshots made last by {@code madeAfter} (the order they
   * were made in) rather than by their times: when the clock jumped back, the newest snapshots
   * carry old times, and counting by time would forget exactly them (reliability.md E2). The
   * bucket rules still go by time.
   */
  public static <T> List<Verdict<T>> apply(List<T> snapshots, Function<T, Instant> timeOf,
      Comparator<T> madeAfter, RetentionPolicy policy, ZoneId zone) {
    return apply(snapshots, timeOf, s -> List.of(), madeAfter, policy, zone);
  }

  /** As above, with each snapshot's tags from {@code tagsOf}: one the policy's keep-tags name is kept. */
  public static <T> List<Verdict<T>> apply(List<T> snapshots, Function<T, Instant> timeOf,
      Function<T, ? extends java.util.Collection<String>> tagsOf, Comparator<T> madeAfter, RetentionPolicy policy,
      ZoneId zone) {
    java.util.Set<T> lastMade = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    if (policy.keepLast() != 0) {
      List<T> byMaking = new ArrayList<>(snapshots);
      byMaking.sort(madeAfter.reversed());
      lastMade.addAll(policy.keepLast() < 0 ? byMaking : byMaking.subList(0, Math.min(policy.keepLast(), byMaking.size())));
    }
    List<T> newestFirst = new ArrayList<>(snapshots);
    newestFirst.sort(Comparator.comparing(timeOf).reversed());
    List<Verdict<T>> out = new ArrayList<>();
    if (newestFirst.isEmpty()) {
      return out;
    }
    if (policy.keepsEverything()) {
      newestFirst.forEach(s -> out.add(new Verdict<>(s, timeOf.apply(s), List.of("no policy"))));
      return out;
    }
    List<Rule> rules = List.of(
        new Rule("hourly", policy.keepHourly(), t -> (long) t.getYear() * 1_000_000 + t.getMonthValue() * 10_000
            + t.getDayOfMonth() * 100 + t.getHour()),
        new Rule("daily", policy.keepDaily(), t -> (long) t.getYear() * 10_000 + t.getMonthValue() * 100
            + t.getDayOfMonth()),
        new Rule("weekly", policy.keepWeekly(), t -> (long) t.get(IsoFields.WEEK_BASED_YEAR) * 100
            + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
        new Rule("monthly", policy.keepMonthly(), t -> (long) t.getYear() * 100 + t.getMonthValue()),
        new Rule("yearly", policy.keepYearly(), t -> (long) t.getYear()));
    Instant newest = timeOf.apply(newestFirst.get(0));
    Instant withinFrom = newest.minus(policy.keepWithin());
    for (T s : newestFirst) {
      Instant time = timeOf.apply(s);
      ZonedDateTime local = time.atZone(zone);
      List<String> reasons = new ArrayList<>();
      if (lastMade.contains(s)) {
        reasons.add("last");
      }
      for (Rule r : rules) {
        if (r.left == 0) {
          continue;
        }
        long b = r.bucket.apply(local);
        if (r.lastBucket == null || r.lastBucket != b) {
          r.lastBucket = b;
          if (r.left > 0) {
            r.left--;
          }
          reasons.add(r.name);
        }
      }
      if (!policy.keepWithin().isZero() && time.isAfter(withinFrom)) {
        reasons.add("within " + policy.keepWithin().toString().substring(2).toLowerCase());
      }
      for (String tag : policy.keepTags()) {
        if (tagsOf.apply(s).contains(tag)) {
          reasons.add("tag " + tag);
        }
      }
      out.add(new Verdict<>(s, time, List.copyOf(reasons)));
    }
    return out;
  }

  /** Counts of kept snapshots per rule, for summaries. */
  public static <T> Map<String, Integer> reasonCounts(List<Verdict<T>> verdicts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    verdicts.forEach(v -> v.reasons().forEach(r -> out.merge(r, 1, Integer::sum)));
    return out;
  }
}
