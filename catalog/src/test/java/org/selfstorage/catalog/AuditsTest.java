package org.selfstorage.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditsTest {
  @TempDir Path dir;

  private static PackId pack(int n) {
    byte[] b = new byte[PackId.LENGTH];
    b[0] = (byte) n;
    return new PackId(b);
  }

  private static byte[] challenges(int count, int seed) {
    byte[] b = new byte[count * Audits.CHALLENGE_BYTES];
    Arrays.fill(b, (byte) seed);
    for (int i = 0; i < count; i++) {
      b[i * Audits.CHALLENGE_BYTES] = (byte) i;
    }
    return b;
  }

  @Test
  void eachChallengeIsGivenOutOnce_andRenewingReplacesThem() {
    try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
      c.audits().renew(pack(1), 0, challenges(2, 9), null);
      byte[] first = c.audits().take(pack(1), 0).orElseThrow();
      byte[] second = c.audits().take(pack(1), 0).orElseThrow();
      assertEquals(0, first[0]);
      assertEquals(1, second[0]);
      assertTrue(c.audits().take(pack(1), 0).isEmpty(), "used up");
      c.audits().renew(pack(1), 0, challenges(1, 5), Instant.ofEpochMilli(1000));
      assertArrayEquals(Arrays.copyOf(challenges(1, 5), Audits.CHALLENGE_BYTES), c.audits().take(pack(1), 0).orElseThrow());
      assertTrue(c.audits().take(pack(2), 0).isEmpty(), "none for a shard never seen");
    }
  }

  @Test
  void shardsAreDueForReadingOldestFirst_andPrunedPacksAreForgotten() {
    try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
      Store s = c.stores().add("usb", "local", "/mnt/usb", "usb", Instant.EPOCH);
      for (int n = 1; n <= 3; n++) {
        c.packs().add(new Pack(pack(n), 100, 1, 1, 60, Instant.EPOCH), List.of(),
            List.of(new ShardRecord(pack(n), 0, s.id(), new byte[32])));
      }
      c.audits().renew(pack(1), 0, challenges(1, 1), Instant.ofEpochMilli(5000));
      c.audits().renew(pack(2), 0, challenges(1, 1), Instant.ofEpochMilli(3000));
      // pack 3 never verified: first
      List<Audits.Target> due = c.audits().dueForReading(10);
      assertEquals(List.of(pack(3), pack(2), pack(1)), due.stream().map(Audits.Target::packId).toList());
      assertEquals(60, due.get(0).length());
      assertEquals(2, c.audits().notReadSince(Instant.ofEpochMilli(4000)));
      assertEquals(180, c.audits().storedBytes());
      assertEquals(2, c.audits().challengeable(s.id(), 10).size(), "pack 3 has no challenge");
      c.audits().renew(pack(9), 0, challenges(1, 1), null);
      assertEquals(1, c.audits().forgetGone(), "pack 9 does not exist");
    }
  }

  @Test
  void rotFoundByTheScrubIsKeptPerPartner() {
    try (Catalog c = Catalog.open(dir.resolve("c.db"))) {
      c.audits().addRot("alice", "ab.0", "bit rot", Instant.ofEpochMilli(1));
      c.audits().addRot("alice", "ab.0", "bit rot again", Instant.ofEpochMilli(2));
      c.audits().addRot("bob", "cd.1", "truncated", Instant.ofEpochMilli(3));
      assertEquals(List.of("bit rot again"), c.audits().rotOf("alice").stream().map(Audits.Rot::problem).toList());
      c.audits().removeRot("alice", "ab.0");
      assertTrue(c.audits().rotOf("alice").isEmpty());
      assertEquals(1, c.audits().rotOf("bob").size());
    }
  }
}
