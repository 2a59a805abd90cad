package org.selfstorage.agent.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.Finding;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.StatusReport;
import org.selfstorage.agent.StoreInfo;
import org.selfstorage.agent.placement.Layout;
import org.selfstorage.agent.placement.Redundancy;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.schedule.Schedule;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Invitations;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.catalog.Source;

/**
 * What {@code status} reports about a home: the numbers, and the findings, each "what is wrong —
 * why it matters — the command that fixes it". It reads the catalog and the stores opened for it;
 * it changes nothing.
 */
public final class StatusExamination {
  /** Beyond this a partner's clock is "skewed": the surplus sweep skips it (SurplusSweep.MAX_SKEW). */
  static final Duration MAX_SKEW = org.selfstorage.agent.repair.SurplusSweep.MAX_SKEW;
  /** A partner's quota is nearly full from this share on (either direction). */
  static final int NEARLY_FULL_PERCENT = 90;
  /** Unused invitations expiring sooner than this are reported. */
  static final Duration INVITATION_SOON = Duration.ofHours(1);

  /** What the examination needs besides the catalog and the stores. */
  public record Inputs(String home, List<StoreInfo> stores, List<PartnerInfo> partners,
      Map<String, Duration> skews, int tolerate, String grace, Duration backupAgeWarn) {}

  private final Catalog catalog;
  private final StoreSet set;
  private final Inputs in;
  private final Clock clock;
  private final List<Finding> findings = new ArrayList<>();

  public StatusExamination(Catalog catalog, StoreSet set, Inputs in, Clock clock) {
    this.catalog = catalog;
    this.set = set;
    this.in = in;
    this.clock = clock;
  }

  public StatusReport report() {
    Instant now = clock.instant();
    stores();
    String layout = layout();
    StatusReport.PackHealth health = PackCensus.take(catalog, id -> set.get(id).isPresent()).health();
    redundancy(health);
    // failed audits (AUDIT_FAILED) and no room to repair (NO_ROOM) are added here with the audits
    List<StatusReport.SourceStatus> sources = sources(now);
    partners();
    clockSkew();
    invitations(now);
    if (catalog.stores().list().isEmpty()) {
      findings.add(new Finding("NO_STORES", "warning", "there are no stores",
          "backups need somewhere to put shards", "selfstorage store add DIR --site NAME"));
    }
    long stored = in.stores().stream().mapToLong(StoreInfo::bytes).sum();
    return new StatusReport(in.home(), in.stores(), sources, catalog.snapshots().count(), catalog.packs().count(),
        catalog.blobs().count(), stored, layout, health, List.copyOf(findings));
  }

  private void stores() {
    for (StoreInfo s : in.stores()) {
      if (!s.available() && !s.kind().equals("partner")) {
        findings.add(new Finding("STORE_UNAVAILABLE", "error", "store " + s.name() + " is unavailable: " + s.problem(),
            s.shards() + " shards on it cannot be read, so the packs they belong to have less redundancy",
            "mount or reconnect " + s.location() + ", then: selfstorage repair"));
      }
    }
  }

  private String layout() {
    try {
      Layout l = Redundancy.layout((int) set.availableSites(), in.tolerate());
      return l.dataShards() + "+" + l.parityShards();
    } catch (AgentException e) {
      findings.add(new Finding(e.code(), "error", e.getMessage(), "backups cannot run until there are enough sites",
          e.fix()));
      return "none";
    }
  }

  private void redundancy(StatusReport.PackHealth health) {
    if (health.lost() > 0) {
      findings.add(new Finding("PACKS_LOST", "error", health.lost() + " packs have fewer shards than they need",
          "files in them cannot be restored from the stores that are available now",
          "reconnect the missing stores, then: selfstorage check --read-data"));
    }
    if (health.atRisk() > 0 || health.degraded() > 0) {
      findings.add(new Finding("REDUNDANCY_DEGRADED", health.atRisk() > 0 ? "error" : "warning",
          (health.atRisk() + health.degraded()) + " packs are missing shards",
          health.atRisk() > 0 ? health.atRisk() + " packs survive no further loss" : "they survive fewer losses than set",
          "selfstorage repair"));
    }
  }

  private List<StatusReport.SourceStatus> sources(Instant now) {
    List<StatusReport.SourceStatus> sources = new ArrayList<>();
    for (Source src : catalog.sources().list()) {
      List<Snapshot> snaps = catalog.snapshots().ofSource(src.id());
      Snapshot last = snaps.isEmpty() ? null : snaps.get(snaps.size() - 1);
      sources.add(new StatusReport.SourceStatus(src.name(), src.path(), snaps.size(),
          last == null ? null : last.time(), last == null ? null : last.id().shortHex()));
      if (last == null) {
        findings.add(new Finding("NEVER_BACKED_UP", "warning", "source " + src.name() + " has never been backed up",
            "nothing of it can be restored", "selfstorage backup " + src.name()));
      } else if (tooOld(src, last.time(), now)) {
        findings.add(new Finding("BACKUP_TOO_OLD", "warning", "the last backup of " + src.name() + " is from "
            + last.time() + (src.schedule() == null ? ", older than status.backup-age-warn ("
            + in.backupAgeWarn().toHours() + "h)" : ", and two of its scheduled runs (" + src.schedule()
            + ") have passed since"), "changes made since then would be lost with this machine",
            "selfstorage backup " + src.name() + (src.schedule() == null ? "" : "   (scheduled runs need the agent: "
                + "selfstorage agent; see its log for why runs failed)")));
      }
    }
    return sources;
  }

  /**
   * Too old: with a schedule, when two scheduled times passed since the last backup (one missed run
   * is caught up by the agent); without one, when older than {@code status.backup-age-warn}.
   */
  private boolean tooOld(Source src, Instant last, Instant now) {
    if (src.schedule() != null) {
      try {
        Schedule schedule = Schedule.parse(src.schedule());
        Instant first = schedule.nextAfter(last, clock.getZone());
        return !first.equals(Instant.MAX) && !schedule.nextAfter(first, clock.getZone()).isAfter(now);
      } catch (IllegalArgumentException e) {
        // a schedule this version cannot read: judged by the setting instead
      }
    }
    return last.plus(in.backupAgeWarn()).isBefore(now);
  }

  private void partners() {
    for (PartnerInfo p : in.partners()) {
      if (p.status().equals("lost") || p.status().equals("unreachable")) {
        boolean isLost = p.status().equals("lost");
        findings.add(new Finding(isLost ? "PARTNER_LOST" : "PARTNER_UNREACHABLE", isLost ? "error" : "warning",
            "partner " + p.name() + " has not answered since " + (p.lastSeen() == null ? "pairing" : p.lastSeen())
                + ": " + p.problem(),
            isLost ? "its shards are rebuilt on other sites by the running agent"
                : "after repair.grace (" + in.grace() + ") it counts as lost and its shards are rebuilt elsewhere",
            "ask " + p.name() + " to start its agent; if it is gone for good: selfstorage partners remove "
                + p.name()));
      }
      if (p.status().equals("removing")) {
        continue;
      }
      long ours = p.reportedByThem() >= 0 ? p.reportedByThem() : p.storedWithThem();
      if (nearlyFull(ours, p.hostsForUs())) {
        findings.add(new Finding("QUOTA_NEARLY_FULL", "warning", "we use " + percent(ours, p.hostsForUs())
            + "% of the " + p.hostsForUs() + " bytes " + p.name() + " keeps for us",
            "when it is full, new shards go to other sites, and with too few sites backups stop",
            "ask " + p.name() + " to keep more for us, or add room: selfstorage invite --quota 100G (a new partner), "
                + "selfstorage store add DIR --site NAME, or free space: selfstorage forget --prune"));
      }
      if (p.usedByThem() >= 0 && nearlyFull(p.usedByThem(), p.hostsForThem())) {
        findings.add(new Finding("QUOTA_NEARLY_FULL", "info", p.name() + " uses " + percent(p.usedByThem(),
            p.hostsForThem()) + "% of the " + p.hostsForThem() + " bytes we keep for it",
            "when it is full, we refuse its new shards and its backups go elsewhere",
            "nothing is needed from you; to give " + p.name() + " more room, pair again with a larger --quota, or ask "
                + "it to prune"));
      }
    }
  }

  static boolean nearlyFull(long used, long quota) {
    return quota > 0 && used * 100 >= quota * NEARLY_FULL_PERCENT;
  }

  private static long percent(long used, long quota) {
    return used * 100 / quota;
  }

  private void clockSkew() {
    in.skews().forEach((name, d) -> {
      if (d.abs().compareTo(MAX_SKEW) > 0) {
        findings.add(new Finding("CLOCK_SKEW", "warning", name + "'s clock is " + describe(d.abs())
            + (d.isNegative() ? " behind ours" : " ahead of ours"),
            "surplus shards on it are not deleted while the clocks disagree by more than " + MAX_SKEW.toMinutes()
                + " minutes, and times it reports cannot be compared with ours",
            "set both clocks right (timedatectl set-ntp true, on this machine and on " + name + "'s)"));
      }
    });
  }

  private static String describe(Duration d) {
    return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m" + d.toSecondsPart() + "s";
  }

  private void invitations(Instant now) {
    for (Invitations.Issued i : catalog.invitations().pending(now)) {
      if (i.expiresAt().isBefore(now.plus(INVITATION_SOON))) {
        findings.add(new Finding("INVITATION_EXPIRING", "info", "invitation " + HexFormat.of().formatHex(i.id())
            + " (quota " + i.quota() + " bytes) has not been used and expires at " + i.expiresAt(),
            "whoever it was meant for cannot join with it after that",
            "nothing if it is no longer needed; otherwise they join before then, or: selfstorage invite --quota "
                + i.quota() + " (a new code)"));
      }
    }
  }
}
