package org.selfstorage.agent.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfstorage.agent.ManualClock;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Event;
import org.selfstorage.federation.HostedRefusal;

/** A partner's refused writes reach the host's owner as one event per partner per hour. */
class HostedRefusalsTest {
  @TempDir Path dir;

  @Test
  void oneEventPerPartnerPerHour_sayingWhoHowFull_andTheFix() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      HostedRefusals refusals = new HostedRefusals(EventLog.catalogOnly(c, clock), clock, Runnable::run);
      for (int i = 0; i < 50; i++) {
        refusals.accept(new HostedRefusal.Quota("bob", 1000 + i, 1 << 20, 1_040_000));
      }
      refusals.accept(new HostedRefusal.Quota("carol", 5, 100, 99));
      clock.now = clock.now.plus(HostedRefusals.EVERY).minusSeconds(1);
      refusals.accept(new HostedRefusal.Quota("bob", 7, 1 << 20, 1_040_000));
      List<Event> told = c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_QUOTA_REFUSED")).toList();
      assertEquals(2, told.size(), told.toString());
      Event bob = told.get(1);
      assertEquals("bob's shard of 1000 bytes was refused: its shards take 1040000 of the 1048576 bytes we keep for "
          + "it; its backups place new shards elsewhere", bob.message());
      assertTrue(bob.fix().contains("selfstorage partners set-quota bob SIZE"), bob.fix());
      clock.now = clock.now.plusSeconds(1);
      refusals.accept(new HostedRefusal.Quota("bob", 7, 1 << 20, 1_040_000));
      assertEquals(3, c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_QUOTA_REFUSED")).count(),
          "told again an hour later");
    }
  }

  @Test
  void accessRefusals_areAWarningOfTheirOwn_oncePerPartnerPerHour_withTheRemoveCommand() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      HostedRefusals refusals = new HostedRefusals(EventLog.catalogOnly(c, clock), clock, Runnable::run);
      refusals.accept(new HostedRefusal.Quota("bob", 7, 100, 99));
      for (int i = 0; i < 200; i++) { // a probe: hundreds of paths
        refusals.accept(new HostedRefusal.Access("bob", "sftp: /../../etc/passwd" + i + ": not a path of the hosted layout"));
      }
      List<Event> access = c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_ACCESS_REFUSED")).toList();
      assertEquals(1, access.size(), access.toString());
      assertEquals("warning", access.get(0).severity());
      assertTrue(access.get(0).message().startsWith("bob asked for something no partner may do, and was refused (sftp: "
          + "/../../etc/passwd0: not a path of the hosted layout)"), access.get(0).message());
      assertTrue(access.get(0).fix().contains("selfstorage partners remove bob"), access.get(0).fix());
      assertEquals(1, c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_QUOTA_REFUSED")).count(),
          "the quota refusal was told on its own");
    }
  }

  @Test
  void refusedLogins_ofAPartnerAtItsCap_andOfStrangers_areTold_oncePerPartnerOrAddressPerHour() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      HostedRefusals refusals = new HostedRefusals(EventLog.catalogOnly(c, clock), clock, Runnable::run);
      for (int i = 0; i < 20; i++) {
        refusals.accept(new HostedRefusal.Sessions("bob", 4));
        refusals.accept(new HostedRefusal.Strangers("203.0.113.9", "more than 10 logins a minute from one address"));
      }
      refusals.accept(new HostedRefusal.Strangers("198.51.100.7", "a key with no agreement may hold one session"));
      List<Event> sessions = c.events().recent(20).stream()
          .filter(e -> e.code().equals("PARTNER_SESSIONS_REFUSED")).toList();
      assertEquals(1, sessions.size(), sessions.toString());
      assertTrue(sessions.get(0).message().startsWith("bob tried to hold more than 4 SSH sessions"),
          sessions.get(0).message());
      assertTrue(sessions.get(0).fix().contains("selfstorage partners remove bob"), sessions.get(0).fix());
      List<Event> strangers = c.events().recent(20).stream().filter(e -> e.code().equals("LOGINS_REFUSED")).toList();
      assertEquals(2, strangers.size(), "one per address: " + strangers);
      Event first = strangers.stream().filter(e -> e.message().contains("203.0.113.9")).findFirst().orElseThrow();
      assertEquals("warning", first.severity());
      assertTrue(first.message().contains("(more than 10 logins a minute from one address)"), first.message());
      assertTrue(first.fix().contains("block 203.0.113.9"), first.fix());
      clock.now = clock.now.plus(HostedRefusals.EVERY);
      refusals.accept(new HostedRefusal.Strangers("203.0.113.9", "again"));
      assertEquals(3, c.events().recent(20).stream().filter(e -> e.code().equals("LOGINS_REFUSED")).count(),
          "told again an hour later");
    }
  }
}
