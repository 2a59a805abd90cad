package org.selfstorage.agent.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Event;
import org.selfstorage.federation.HostedRefusal;

/** A partner's refused writes reach the host's owner as one event per partner per hour. */
class QuotaRefusalsTest {
  @TempDir Path dir;

  private static final class SteppedClock extends Clock {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void oneEventPerPartnerPerHour_sayingWhoHowFull_andTheFix() {
    SteppedClock clock = new SteppedClock();
    try (Catalog c = Catalog.open(dir.resolve("catalog.db"))) {
      QuotaRefusals refusals = new QuotaRefusals(EventLog.catalogOnly(c, clock), clock, Runnable::run);
      for (int i = 0; i < 50; i++) {
        refusals.accept(new HostedRefusal("bob", 1000 + i, 1 << 20, 1_040_000));
      }
      refusals.accept(new HostedRefusal("carol", 5, 100, 99));
      clock.now = clock.now.plus(QuotaRefusals.EVERY).minusSeconds(1);
      refusals.accept(new HostedRefusal("bob", 7, 1 << 20, 1_040_000));
      List<Event> told = c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_QUOTA_REFUSED")).toList();
      assertEquals(2, told.size(), told.toString());
      Event bob = told.get(1);
      assertEquals("bob's shard of 1000 bytes was refused: its shards take 1040000 of the 1048576 bytes we keep for "
          + "it; its backups place new shards elsewhere", bob.message());
      assertTrue(bob.fix().contains("selfstorage partners set-quota bob SIZE"), bob.fix());
      clock.now = clock.now.plusSeconds(1);
      refusals.accept(new HostedRefusal("bob", 7, 1 << 20, 1_040_000));
      assertEquals(3, c.events().recent(10).stream().filter(e -> e.code().equals("PARTNER_QUOTA_REFUSED")).count(),
          "told again an hour later");
    }
  }
}
