package org.selfstorage.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.selfstorage.agent.ManualClock;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.Finding;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.IfLostReport;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.StatusReport;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Event;

/** A finding for each fault status and doctor cover, on real homes and catalogs; and events once per change. */
class FindingsTest {
  @TempDir Path dir;

  private static Optional<Finding> finding(StatusReport r, String code) {
    return r.findings().stream().filter(f -> f.code().equals(code)).findFirst();
  }

  private Home homeWithBackup(ManualClock clock, int stores, String tolerate) throws Exception {
    Home home = new Home(dir.resolve("home"));
    Agent.init(home, clock, "alice", null, null);
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("a.txt"), "hello");
    Files.writeString(src.resolve("sub/b.txt"), "world!");
    try (Agent a = Agent.open(home, clock)) {
      a.configSet("redundancy.tolerate", tolerate);
      for (int i = 1; i <= stores; i++) {
        a.addStore(dir.resolve("store" + i), "s" + i, "site" + i);
      }
      a.addSource(src, "docs");
      a.backup("docs", null, Progress.Listener.NONE);
    }
    return home;
  }

  @Test
  void lastBackupTooOld_bySetting_andBySchedule() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 1, "0");
    try (Agent a = Agent.open(home, clock)) {
      clock.now = clock.now.plus(Duration.ofHours(47));
      assertTrue(finding(a.status(), "BACKUP_TOO_OLD").isEmpty());
      clock.now = clock.now.plus(Duration.ofHours(2));
      Finding f = finding(a.status(), "BACKUP_TOO_OLD").orElseThrow();
      assertTrue(f.what().contains("docs") && f.fix().equals("selfstorage backup docs"), f.toString());
      a.configSet("status.backup-age-warn", "7d");
      assertTrue(finding(a.status(), "BACKUP_TOO_OLD").isEmpty());
      // hourly: two scheduled times since the last backup (at 10:00 on day 1) is too old
      a.setSchedule("docs", "hourly");
      assertTrue(finding(a.status(), "BACKUP_TOO_OLD").isPresent());
    }
  }

  @Test
  void shardsNotReadBackForTooLong_untilAFullReadOrAnAudit() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 1, "0");
    try (Agent a = Agent.open(home, clock)) {
      clock.now = clock.now.plus(Duration.ofDays(59));
      assertTrue(finding(a.status(), "VERIFICATION_OVERDUE").isEmpty(), "within twice audit.verify-every (30d)");
      clock.now = clock.now.plus(Duration.ofDays(2));
      Finding f = finding(a.status(), "VERIFICATION_OVERDUE").orElseThrow();
      assertTrue(f.fix().contains("selfstorage check --read-data"), f.toString());
      a.check(true, Progress.Listener.NONE);
      assertTrue(finding(a.status(), "VERIFICATION_OVERDUE").isEmpty(), "a full check reads every shard");

      clock.now = clock.now.plus(Duration.ofDays(61));
      assertTrue(finding(a.status(), "VERIFICATION_OVERDUE").isPresent());
      a.configSet("audit.verify-every", "6h"); // = audit.every: one audit reads everything
      var audit = a.audit(Progress.Listener.NONE);
      assertTrue(audit.damaged().isEmpty(), audit.toString());
      assertEquals(0, audit.notReadInPeriod(), audit.toString());
      assertTrue(finding(a.status(), "VERIFICATION_OVERDUE").isEmpty(), "the audit read every shard");
    }
  }

  @Test
  void invitationAboutToExpire() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 1, "0");
    try (Agent a = Agent.open(home, clock)) {
      a.mesh().invite(1_000_000, Duration.ofHours(3));
      assertTrue(finding(a.status(), "INVITATION_EXPIRING").isEmpty());
      clock.now = clock.now.plus(Duration.ofMinutes(150));
      Finding f = finding(a.status(), "INVITATION_EXPIRING").orElseThrow();
      assertTrue(f.fix().contains("selfstorage invite --quota 1000000"), f.toString());
      clock.now = clock.now.plus(Duration.ofHours(1)); // expired: nothing to say any more
      assertTrue(finding(a.status(), "INVITATION_EXPIRING").isEmpty());
    }
  }

  private static PartnerInfo partner(String name, String status, long hostsForThem, long usedByThem, long hostsForUs,
      long reportedByThem) {
    return partner(name, status, hostsForThem, usedByThem, hostsForUs, reportedByThem, -1, null);
  }

  private static PartnerInfo partner(String name, String status, long hostsForThem, long usedByThem, long hostsForUs,
      long reportedByThem, long diskFree, String notWritable) {
    return partner(name, status, hostsForThem, usedByThem, hostsForUs, reportedByThem, diskFree, notWritable, 0, 0);
  }

  private static PartnerInfo partner(String name, String status, long hostsForThem, long usedByThem, long hostsForUs,
      long reportedByThem, long diskFree, String notWritable, long auditChecks, long auditFailures) {
    double trust = auditChecks == 0 ? -1 : (double) (auditChecks - auditFailures) / auditChecks;
    return new PartnerInfo(name, name, status, status.equals("ok") ? null : "connection refused",
        Instant.parse("2026-03-01T09:00:00Z"), List.of("127.0.0.9:1"), "SHA256:x", hostsForThem, usedByThem,
        hostsForUs, 0, reportedByThem, 3, diskFree, notWritable, 0, trust, auditChecks, auditFailures);
  }

  @Test
  void partnersQuotasBothWaysAndClockSkew() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 1, "0");
    try (Catalog c = Catalog.open(home.catalogFile()); StoreSet set = StoreSet.open(c)) {
      // frank's disk has 50 free of the 990 left of its quota for us (under a tenth of 1000): low;
      // gina's has 500 (not low: a disk shared by quotas); hank's 50 but only 40 are left (not low)
      List<PartnerInfo> partners = List.of(partner("bob", "unreachable", 100, 10, 100, 10),
          partner("carol", "lost", 100, 10, 100, 10), partner("dave", "ok", 1000, 950, 1000, 10),
          partner("erin", "ok", 1000, 10, 1000, 900), partner("frank", "ok", 1000, 10, 1000, 10, 50, null),
          partner("gina", "ok", 1000, 10, 1000, 10, 500, null), partner("hank", "ok", 1000, 10, 1000, 960, 50, null),
          partner("ivy", "ok", 1000, 10, 1000, 10, -1, "Read-only file system"),
          // jim failed 12 of 120 audit checks (90%): named; kim 5 of 200 (97.5%): not
          partner("jim", "ok", 1000, 10, 1000, 10, -1, null, 120, 12),
          partner("kim", "ok", 1000, 10, 1000, 10, -1, null, 200, 5),
          // lena ended our agreement: said so, not "unreachable", and no quota talk about her
          partner("lena", "left", 1000, 10, 1000, 990));
      var in = new StatusExamination.Inputs(home.dir().toString(), List.of(), partners,
          Map.of("dave", Duration.ofMinutes(7), "erin", Duration.ofSeconds(2)), 0, "24h", Duration.ofHours(48),
          Duration.ofDays(30), null);
      StatusReport r = new StatusExamination(c, set, in, clock).report();
      List<String> codes = r.findings().stream().map(f -> f.code() + ":" + f.what().split(" ")[0] + f.what()
          .replaceAll(".*(bob|carol|dave|erin).*", " $1")).toList();
      assertTrue(codes.contains("PARTNER_UNREACHABLE:partner bob"), codes.toString());
      assertTrue(codes.contains("PARTNER_LOST:partner carol"), codes.toString());
      Finding theirs = r.findings().stream().filter(f -> f.code().equals("QUOTA_NEARLY_FULL")
          && f.what().startsWith("dave uses 95%")).findFirst().orElseThrow(() -> new AssertionError(r.findings()));
      assertEquals("info", theirs.severity());
      Finding ours = r.findings().stream().filter(f -> f.code().equals("QUOTA_NEARLY_FULL")
          && f.what().startsWith("we use 90%")).findFirst().orElseThrow(() -> new AssertionError(r.findings()));
      assertTrue(ours.what().contains("erin") && ours.fix().contains("erin"), ours.toString());
      assertEquals(3, r.findings().stream().filter(f -> f.code().equals("QUOTA_NEARLY_FULL")).count(),
          "erin's and hank's for us, dave's for it");
      List<Finding> low = r.findings().stream().filter(f -> f.code().equals("PARTNER_DISK_LOW")).toList();
      assertEquals(1, low.size(), low.toString());
      assertEquals("frank's disk has 50 bytes free, less than the 990 bytes left of what it keeps for us",
          low.get(0).what());
      assertEquals("warning", low.get(0).severity());
      assertTrue(low.get(0).fix().contains("ask frank"), low.get(0).fix());
      List<Finding> ro = r.findings().stream().filter(f -> f.code().equals("PARTNER_NOT_WRITABLE")).toList();
      assertEquals(1, ro.size(), ro.toString());
      assertEquals("ivy's disk takes no new shards: Read-only file system", ro.get(0).what());
      assertTrue(ro.get(0).fix().contains("ask ivy to repair or remount"), ro.get(0).fix());
      List<Finding> untrusted = r.findings().stream().filter(f -> f.code().equals("PARTNER_UNTRUSTED")).toList();
      assertEquals(1, untrusted.size(), untrusted.toString());
      assertTrue(untrusted.get(0).what().startsWith("jim passed 90% of the audit checks of our shards in the last 30 days"
          + " (12 of 120 failed"), untrusted.get(0).what());
      assertEquals("warning", untrusted.get(0).severity());
      assertTrue(untrusted.get(0).fix().contains("selfstorage partners remove jim"), untrusted.get(0).fix());
      List<Finding> left = r.findings().stream().filter(f -> f.what().contains("lena")).toList();
      assertEquals(1, left.size(), left.toString());
      assertEquals("PARTNER_LEFT", left.get(0).code());
      assertEquals("error", left.get(0).severity());
      assertTrue(left.get(0).what().startsWith("lena ended our agreement: "), left.get(0).what());
      assertTrue(left.get(0).fix().startsWith("selfstorage partners remove lena"), left.get(0).fix());
      Finding skew = r.findings().stream().filter(f -> f.code().equals("CLOCK_SKEW")).findFirst().orElseThrow();
      assertTrue(skew.what().startsWith("dave's clock is 7m0s ahead"), skew.what());
      assertEquals(1, r.findings().stream().filter(f -> f.code().equals("CLOCK_SKEW")).count());
    }
  }

  @Test
  void watch_recordsEachChangeOnce() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 2, "1");
    try (Catalog c = Catalog.open(home.catalogFile())) {
      ConditionWatch watch = new ConditionWatch(c, EventLog.catalogOnly(c, clock), clock);
      long s1 = c.stores().byName("s1").orElseThrow().id();
      PackCensus all = PackCensus.take(c, id -> true);
      PackCensus without1 = PackCensus.take(c, id -> id != s1);
      watch.observe(List.of(partner("bob", "ok", 100, 10, 100, 10)), all, "24h");
      assertEquals(List.of(), codesSince(c, "STORE_ADDED", "BACKUP_DONE", "HOME_CREATED"));
      for (int i = 0; i < 3; i++) {
        watch.observe(List.of(partner("bob", "unreachable", 100, 95, 100, 10)), without1, "24h");
      }
      watch.observe(List.of(partner("bob", "lost", 100, 95, 100, 10)), without1, "24h");
      watch.observe(List.of(partner("bob", "ok", 100, 10, 100, 10)), all, "24h");
      watch.observe(List.of(partner("bob", "ok", 100, 10, 100, 10)), all, "24h");
      for (int i = 0; i < 2; i++) {
        watch.observe(List.of(partner("bob", "left", 100, 10, 100, 10)), all, "24h");
      }
      assertEquals(List.of("PARTNER_UNREACHABLE", "QUOTA_NEARLY_FULL", "REDUNDANCY_DEGRADED", "PARTNER_LOST",
          "PARTNER_BACK", "REDUNDANCY_RESTORED", "PARTNER_LEFT"),
          codesSince(c, "STORE_ADDED", "BACKUP_DONE", "HOME_CREATED"));
    }
  }

  private static List<String> codesSince(Catalog c, String... ignore) {
    List<Event> recent = new java.util.ArrayList<>(c.events().recent(100));
    java.util.Collections.reverse(recent);
    return recent.stream().map(Event::code).filter(code -> !List.of(ignore).contains(code)).toList();
  }

  @Test
  void ifLost_namesTheSnapshotsAndFilesThatWouldGo() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = homeWithBackup(clock, 2, "0"); // 2+0: every pack needs both stores
    try (Agent a = Agent.open(home, clock)) {
      IfLostReport r = a.ifLost("s1");
      assertTrue(r.losesData());
      assertEquals(0, r.packs().healthy());
      assertEquals(1, r.snapshots().size());
      assertEquals(2, r.snapshots().get(0).files());
      assertEquals(11, r.snapshots().get(0).bytes());
      assertEquals("docs", r.snapshots().get(0).source());
    }
    try (Agent a = Agent.open(home, clock)) {
      a.configSet("redundancy.tolerate", "1");
      a.addStore(dir.resolve("store3"), "s3", "site3");
      Files.writeString(dir.resolve("src/c.txt"), "more");
      a.backup("docs", null, Progress.Listener.NONE);
      a.repair(Progress.Listener.NONE);
    }
    try (Agent a = Agent.open(home, clock)) {
      IfLostReport r = a.ifLost("s3");
      assertFalse(r.losesData(), r.toString());
      assertTrue(r.snapshots().isEmpty());
    }
  }
}
