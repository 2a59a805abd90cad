package org.selfstorage.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A source's retention policy, with restic's {@code forget} semantics: each {@code keep*} count
 * keeps the newest snapshot of that many distinct calendar buckets (hours, days, ISO weeks,
 * months, years, in local time), counting from the newest snapshot backwards; {@code keepLast}
 * keeps that many newest snapshots; {@code keepWithin} keeps every snapshot younger than that
 * duration, measured from the newest snapshot (not from now); {@code keepTags} keeps every
 * snapshot that carries one of those tags. A count of -1 means unlimited. A snapshot is kept when
 * any rule keeps it; a policy with no rule keeps everything.
 */
public record RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
    int keepYearly, Duration keepWithin, List<String> keepTags) {

  public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(0, 0, 0, 0, 0, 0, Duration.ZERO);

  /** A policy without tag rules. */
  public RetentionPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly,
      Duration keepWithin) {
    this(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, List.of());
  }

  public RetentionPolicy {
    keepTags = SnapshotTag.checked(keepTags == null ? List.of() : keepTags);
    for (int n : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
      if (n < -1) {
        throw new IllegalArgumentException("a keep count is a number of snapshots (or -1 for all), not " + n);
      }
    }
    keepWithin = keepWithin == null ? Duration.ZERO : keepWithin;
    if (keepWithin.isNegative()) {
      throw new IllegalArgumentException("keep-within must not be negative");
    }
  }

  /** True when no rule is set: nothing would be forgotten. */
  public boolean keepsEverything() {
    return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
        && keepYearly == 0 && keepWithin.isZero() && keepTags.isEmpty();
  }

  /** The rules as a user writes them, e.g. {@code --keep-daily 7 --keep-weekly 4}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    add(parts, "last", keepLast);
    add(parts, "hourly", keepHourly);
    add(parts, "daily", keepDaily);
    add(parts, "weekly", keepWeekly);
    add(parts, "monthly", keepMonthly);
    add(parts, "yearly", keepYearly);
    if (!keepWithin.isZero()) {
      parts.add("--keep-within " + keepWithin.toString().substring(2).toLowerCase());
    }
    keepTags.forEach(t -> parts.add("--keep-tag " + t));
    return parts.isEmpty() ? "keep everything" : String.join(" ", parts);
  }

  private static void add(List<String> parts, String rule, int n) {
    if (n != 0) {
      parts.add("--keep-" + rule + " " + (n < 0 ? "unlimited" : n));
    }
  }
}
