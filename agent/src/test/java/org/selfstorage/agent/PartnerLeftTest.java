package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.catalog.Partner;

/**
 * A partner that ended our agreement from its side is `left`, and its shards count as lost at
 * once: it keeps nothing for us, so waiting out repair.grace would only leave packs short longer.
 */
class PartnerLeftTest {
  @TempDir Path dir;

  @Test
  void aPartnerThatLeft_isLostAtOnce_andOneThatAnswersAgainIsNot() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    Home home = new Home(dir.resolve("home"));
    Agent.init(home, clock, "alice", null, null);
    try (Agent a = Agent.open(home, clock)) {
      Partner bob = a.catalog().partners().add("bob", new byte[32], List.of("127.0.0.2:7722"), "bob", 100, 100,
          clock.instant());
      a.catalog().partners().seen(bob.id(), clock.instant(), null);
      a.catalog().partners().failed(bob.id(), "connection refused");
      assertFalse(a.mesh().isLost(known(a)), "unreachable for a moment: within the grace");
      assertEquals("unreachable", a.mesh().partner("bob").status());

      clock.now = clock.now.plus(Duration.ofMinutes(1));
      a.catalog().partners().ended(bob.id(), clock.instant(), "it told us it ended the agreement");
      assertTrue(a.mesh().isLost(known(a)), "no grace for a partner that left");
      assertEquals("left", a.mesh().partner("bob").status());
      assertEquals("it told us it ended the agreement", a.mesh().partner("bob").problem());

      a.catalog().partners().seen(bob.id(), clock.instant(), null);
      assertFalse(a.mesh().isLost(known(a)));
      assertEquals("ok", a.mesh().partner("bob").status());
    }
  }

  private static Partner known(Agent a) {
    return a.catalog().partners().byName("bob").orElseThrow();
  }
}
