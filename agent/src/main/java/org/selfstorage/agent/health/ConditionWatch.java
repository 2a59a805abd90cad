package org.selfstorage.agent.health;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Conditions;

/**
 * Turns what the running agent sees into events once per change, not once per look: each watched
 * subject's last state is kept in the catalog, and only a different state is an event (a partner
 * unreachable, lost or back; redundancy degraded or restored; a quota nearly full in either
 * direction). A subject seen for the first time in a bad state is an event too; in a good one it
 * is only remembered.
 */
public final class ConditionWatch {
  private final Catalog catalog;
  private final EventLog events;
  private final Clock clock;

  public ConditionWatch(Catalog catalog, EventLog events, Clock clock) {
    this.catalog = catalog;
    this.events = events;
    this.clock = clock;
  }

  /**
   * One look.
   *
   * @param partners every partner as {@code partners} shows it
   * @param census the packs as the stores that answered now can serve them
   * @param grace {@code repair.grace}, for the sentences
   */
  public void observe(List<PartnerInfo> partners, PackCensus census, String grace) {
    Map<String, Conditions.State> known = catalog.conditions().all();
    Set<String> seen = new HashSet<>();
    for (PartnerInfo p : partners) {
      if (p.status().equals("removing")) {
        continue;
      }
      if (!p.status().equals("unknown")) {
        String subject = "partner:" + p.name();
        seen.add(subject);
        change(known, subject, p.status(), () -> partnerEvent(p, known.get(subject), grace));
      }
      long ours = p.reportedByThem() >= 0 ? p.reportedByThem() : p.storedWithThem();
      String oursSubject = "quota-ours:" + p.name();
      seen.add(oursSubject);
      change(known, oursSubject, StatusExamination.nearlyFull(ours, p.hostsForUs()) ? "nearly-full" : "ok", () -> {
        if (StatusExamination.nearlyFull(ours, p.hostsForUs())) {
          events.record("QUOTA_NEARLY_FULL", "warning", "we use " + ours * 100 / p.hostsForUs() + "% of the "
              + p.hostsForUs() + " bytes " + p.name() + " keeps for us", "ask " + p.name() + " to keep more for us, "
              + "or add room: selfstorage invite --quota 100G, or free space: selfstorage forget --prune");
        }
      });
      String theirsSubject = "quota-theirs:" + p.name();
      seen.add(theirsSubject);
      boolean theirsFull = p.usedByThem() >= 0 && StatusExamination.nearlyFull(p.usedByThem(), p.hostsForThem());
      change(known, theirsSubject, theirsFull ? "nearly-full" : "ok", () -> {
        if (theirsFull) {
          events.record("QUOTA_NEARLY_FULL", "info", p.name() + " uses " + p.usedByThem() * 100 / p.hostsForThem()
              + "% of the " + p.hostsForThem() + " bytes we keep for it; when it is full its new shards go elsewhere",
              null);
        }
      });
    }
    PackCensus.State worst = census.worst();
    change(known, "redundancy", worst.name().toLowerCase(java.util.Locale.ROOT),
        () -> redundancyEvent(known.get("redundancy"), census));
    for (String subject : known.keySet()) {
      if (!seen.contains(subject) && !subject.equals("redundancy")) {
        catalog.conditions().remove(subject); // a partner removed since
      }
    }
  }

  private void change(Map<String, Conditions.State> known, String subject, String state, Runnable onChange) {
    Conditions.State before = known.get(subject);
    if (before != null && before.state().equals(state)) {
      return;
    }
    catalog.conditions().put(subject, state, clock.instant());
    onChange.run();
  }

  private void partnerEvent(PartnerInfo p, Conditions.State before, String grace) {
    String was = before == null ? "ok" : before.state();
    switch (p.status()) {
      case "unreachable" -> events.record("PARTNER_UNREACHABLE", "warning", "partner " + p.name()
          + " does not answer: " + p.problem() + "; after repair.grace (" + grace + ") its shards are rebuilt "
          + "elsewhere", "ask " + p.name() + " to start its agent; if it is gone for good: selfstorage partners remove "
          + p.name());
      case "left" -> events.record("PARTNER_LEFT", "error", "partner " + p.name() + " ended our agreement: "
          + p.problem() + "; the running agent rebuilds the shards it had on other sites",
          "selfstorage partners remove " + p.name());
      case "lost" -> events.record("PARTNER_LOST", "error", "partner " + p.name() + " has not answered for longer "
          + "than repair.grace (" + grace + "); the running agent rebuilds its shards on other sites",
          "if " + p.name() + " is gone for good: selfstorage partners remove " + p.name());
      case "ok" -> {
        if (!was.equals("ok")) {
          events.record("PARTNER_BACK", "info", "partner " + p.name() + " answers again (it was " + was + ")");
        }
      }
      default -> {
        // unknown: not contacted yet
      }
    }
  }

  private void redundancyEvent(Conditions.State before, PackCensus census) {
    PackCensus.State was = before == null ? PackCensus.State.HEALTHY
        : PackCensus.State.valueOf(before.state().toUpperCase(java.util.Locale.ROOT));
    PackCensus.State now = census.worst();
    var h = census.health();
    if (now == PackCensus.State.HEALTHY) {
      if (was != PackCensus.State.HEALTHY) {
        events.record("REDUNDANCY_RESTORED", "info", "every pack has all its shards again (" + h.healthy()
            + " packs)");
      }
      return;
    }
    if (now.compareTo(was) <= 0) {
      return; // better than before, not yet healthy: no news
    }
    if (now == PackCensus.State.LOST) {
      events.record("PACKS_LOST", "error", h.lost() + " packs have fewer shards than they need on the stores and "
          + "partners that answer now: files in them cannot be restored until those come back",
          "reconnect the missing stores or partners, then: selfstorage check --read-data");
    } else {
      events.record("REDUNDANCY_DEGRADED", now == PackCensus.State.AT_RISK ? "error" : "warning",
          (h.degraded() + h.atRisk()) + " packs are missing shards" + (h.atRisk() > 0 ? "; " + h.atRisk()
              + " survive no further loss" : ""), "selfstorage status   (the running agent repairs what it can; "
              + "by hand: selfstorage repair)");
    }
  }
}
