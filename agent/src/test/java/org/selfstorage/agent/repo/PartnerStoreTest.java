package org.selfstorage.agent.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStores;

/** A partner's free space for placement: the quota left, and no more than its disk had free less what we sent. */
class PartnerStoreTest {
  @TempDir Path dir;

  @Test
  void freeSpace_isTheQuotaLeft_cappedByTheDisk() {
    try (ShardStore disk = ShardStores.initLocal(dir.resolve("remote"), "partner")) {
      check(disk);
    }
  }

  private static void check(ShardStore disk) {
    PartnerStore roomy = new PartnerStore(disk, 1000, 100, -1);
    assertEquals(900, roomy.freeSpace(), "no disk figure: the quota left");
    PartnerStore tight = new PartnerStore(disk, 1000, 100, 300);
    assertEquals(300, tight.freeSpace());
    tight.put(new ShardName("ab01.0"), new byte[120]);
    assertEquals(180, tight.freeSpace(), "what we sent since the hello is gone from the disk");
    tight.put(new ShardName("ab02.0"), new byte[200]);
    assertEquals(0, tight.freeSpace(), "never below zero");
    PartnerStore nearlyFull = new PartnerStore(disk, 1000, 950, 300);
    assertEquals(50, nearlyFull.freeSpace(), "the quota left when it is the smaller");
  }
}
