package org.selfstorage.agent.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.Finding;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.RepairProgress;
import org.selfstorage.agent.StatusReport;
import org.selfstorage.agent.StoreInfo;
import org.selfstorage.agent.placement.Layout;
import org.selfstorage.agent.placement.Redundancy;
import org.selfstorage.agent.repair.SurplusSweep;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.agent.schedule.Schedule;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Invitations;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Partner;
import org.selfstorage.catalog.Snapshot;
import org.selfstorage.catalog.Source;

/**
 * What {@code status} reports about a home: the numbers, and the findings, each "what is wrong —
 * why it matters — the command that fixes it". It reads the catalog and the stores opened for it;
 * it changes nothing.
 */
public final class StatusExamination {
  /** Beyond this a partner's clock is "skewed": the surplus sweep skips it (SurplusSweep.MAX_SKEW). */
  static final Duration MAX_SKEW = SurplusSweep.MAX_SKEW;
  /** A partner's quota is nearly full from this share on (either direction). */
  static final int NEARLY_FULL_PERCENT = 90;
  /**
   * A partner's disk is low for us when it has less free than what is left of its quota for us, and
   * under this share of that quota: a disk shared by many quotas is normal until it runs short.
   */
  static final int DISK_LOW_PERCENT = 10;
  /** A partner that passed a smaller share of its audit checks than this over the trust window is named. */
  static final double TRUST_WARN = 0.95;
  /** Unused invitations expiring sooner than this are reported. */
  static final Duration INVITATION_SOON = Duration.ofHours(1);

  /** What the examination needs besides the catalog and the stores. */
  public record Inputs(String home, List<StoreInfo> stores, List<PartnerInfo> partners,
      Map<String, Duration> skews, int tolerate, String grace, Duration backupAgeWarn, Duration verifyEvery,
      RepairProgress repair) {}

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
    noRoom();
    audits(now);
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
        catalog.blobs().count(), stored, layout, health, List.copyOf(findings), in.repair());
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
      Layout l = Redundancy.layout((int) set.writableSites(), in.tolerate());
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

  /**
   * Packs missing shards that no store or partner could take now: on a site that holds none of
   * the pack's shards, with room for one. Packs waiting only for an unreachable partner (not yet
   * lost) are left out: their shards come back with it.
   */
  private void noRoom() {
    Map<Long, String> waiting = new HashMap<>();
    Map<String, String> statusOf = new HashMap<>();
    in.partners().forEach(p -> statusOf.put(p.name(), p.status()));
    for (Partner p : catalog.partners().list()) {
      if ("unreachable".equals(statusOf.get(p.name()))) {
        waiting.put(p.storeId(), p.name());
      }
    }
    Map<PackId, Set<Integer>> present = new HashMap<>();
    Map<PackId, Set<String>> sites = new HashMap<>();
    Set<PackId> waits = new HashSet<>();
    catalog.shards().forEach(r -> {
      set.get(r.storeId()).ifPresent(s -> {
        present.computeIfAbsent(r.packId(), x -> new HashSet<>()).add(r.index());
        sites.computeIfAbsent(r.packId(), x -> new HashSet<>()).add(s.site());
      });
      if (waiting.containsKey(r.storeId())) {
        waits.add(r.packId());
      }
    });
    List<OpenStore> open = set.writable();
    Map<Long, Long> free = new HashMap<>();
    open.forEach(s -> free.put(s.id(), s.handle().freeSpace()));
    long exposed = 0;
    long bytesShort = 0;
    for (Pack p : catalog.packs().list()) {
      int missing = p.shardCount() - present.getOrDefault(p.id(), Set.of()).size();
      if (missing <= 0 || waits.contains(p.id())) {
        continue;
      }
      Set<String> used = sites.getOrDefault(p.id(), Set.of());
      long takers = open.stream().filter(s -> !used.contains(s.site()) && free.get(s.id()) >= p.shardLength())
          .map(OpenStore::site).distinct().count();
      if (takers < missing) {
        exposed++;
        bytesShort += (missing - takers) * p.shardLength();
      }
    }
    if (exposed == 0) {
      return;
    }
    String roomiest = in.partners().stream().filter(p -> p.status().equals("ok"))
        .max(java.util.Comparator.comparingLong(PartnerInfo::hostsForUs)).map(PartnerInfo::name).orElse(null);
    findings.add(new Finding("NO_ROOM", "error", exposed + " packs miss shards that no store or partner can take: about "
        + bytesShort + " more bytes are needed on sites that hold none of their shards",
        "until then those packs survive fewer losses than redundancy.tolerate promises; nothing is deleted meanwhile",
        (roomiest == null ? "" : "ask " + roomiest + " to keep more for us, or ")
            + "pair with a partner on a new site: selfstorage invite --quota SIZE; or: selfstorage store add DIR "
            + "--site NAME. The agent repairs as soon as there is room"));
  }

  /** Damage found by recent audits, and shards not read back whole for far too long. */
  private void audits(Instant now) {
    catalog.events().recent(200).stream()
        .filter(e -> e.code().equals("AUDIT_FAILED") && e.time().isAfter(now.minus(Duration.ofDays(7))))
        .findFirst()
        .ifPresent(e -> findings.add(new Finding("AUDIT_FAILED", "warning", "an audit at " + e.time()
            + " found damage: " + e.message(),
            "a store or partner lost or altered shards it kept for us; they were rebuilt from the others where "
                + "there was room",
            "selfstorage audit   (to look again); a partner that keeps failing: selfstorage partners remove NAME")));
    long overdue = catalog.audits().notReadSince(now.minus(in.verifyEvery().multipliedBy(2)));
    if (overdue > 0) {
      findings.add(new Finding("VERIFICATION_OVERDUE", "warning", overdue + " stored shards have not been read back "
          + "whole for more than twice audit.verify-every (" + in.verifyEvery().toDays() + " days)",
          "rot or loss on a store or partner could stay unnoticed until a restore needs those shards",
          "selfstorage agent   (audits run in it), or read everything now: selfstorage check --read-data"));
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
      if (p.status().equals("left")) {
        findings.add(new Finding("PARTNER_LEFT", "error", p.name() + " ended our agreement: " + p.problem(),
            "it keeps nothing for us any more: the running agent rebuilds the shards it had on other sites, "
                + "and new shards go elsewhere",
            "selfstorage partners remove " + p.name() + "   (ends it here too; to pair again afterwards, " + p.name()
                + " runs selfstorage invite and this machine selfstorage join CODE)"));
      }
      if (p.status().equals("removing") || p.status().equals("left")) {
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
      if (p.notWritable() != null) {
        findings.add(new Finding("PARTNER_NOT_WRITABLE", "warning", p.name() + "'s disk takes no new shards: "
            + p.notWritable(), "new shards go to other sites (with too few sites, backups stop); what " + p.name()
                + " keeps for us can still be read", "ask " + p.name() + " to repair or remount that disk read-write "
                + "(its own status names it); nothing is needed here"));
      }
      if (p.trust() >= 0 && p.trust() < TRUST_WARN) {
        findings.add(new Finding("PARTNER_UNTRUSTED", "warning", p.name() + " passed " + (int) Math.floor(p.trust() * 100)
            + "% of the audit checks of our shards in the last " + PartnerInfo.TRUST_WINDOW.toDays() + " days ("
            + p.auditFailures() + " of " + p.auditChecks() + " failed: wrong answers, damaged or missing shards)",
            "a partner that loses or alters shards puts our backups at risk; each damaged shard found is rebuilt "
                + "from the others, but not one the audits have not reached yet",
            "ask " + p.name() + " to check its disk (its own status names rotten shards); if it goes on failing: "
                + "selfstorage partners remove " + p.name()));
      }
      long left = p.hostsForUs() - ours;
      if (p.diskFree() >= 0 && left > 0 && p.diskFree() < left
          && p.diskFree() * 100 < p.hostsForUs() * DISK_LOW_PERCENT) {
        findings.add(new Finding("PARTNER_DISK_LOW", "warning", p.name() + "'s disk has " + p.diskFree()
            + " bytes free, less than the " + left + " bytes left of what it keeps for us",
            "its quota is a promise the disk cannot keep: when the disk is full, new shards go to other sites, "
                + "and with too few sites backups stop",
            "ask " + p.name() + " to free space on that disk or to lower the quota it keeps for us; meanwhile add "
                + "room: selfstorage invite --quota 100G (a new partner), or selfstorage store add DIR --site NAME"));
      }
      if (p.usedByThem() >= 0 && nearlyFull(p.usedByThem(), p.hostsForThem())) {
        findings.add(new Finding("QUOTA_NEARLY_FULL", "info", p.name() + " uses " + percent(p.usedByThem(),
            p.hostsForThem()) + "% of the " + p.hostsForThem() + " bytes we keep for it",
            "when it is full, we refuse its new shards and its backups go elsewhere",
            "nothing is needed from you; to give " + p.name() + " more room: selfstorage partners set-quota "
                + p.name() + " SIZE, or ask it to prune"));
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
