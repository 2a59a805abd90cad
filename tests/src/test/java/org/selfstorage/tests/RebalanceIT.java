package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner joins a mesh that already holds data: the owner's agent moves shards onto it, by
 * itself, a few at a time, copying before deleting, so no pack ever loses redundancy; the moved
 * copies leave the partners they came from.
 */
class RebalanceIT {
  @TempDir Path dir;

  @Test
  void aNewPartner_receivesShards_withoutAnyPackLosingRedundancy() throws Exception {
    MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.40");
    List<MeshAgent> first = List.of(MeshAgent.create(dir, "p1", "127.0.0.41"),
        MeshAgent.create(dir, "p2", "127.0.0.42"), MeshAgent.create(dir, "p3", "127.0.0.43"));
    MeshAgent late = MeshAgent.create(dir, "p4", "127.0.0.44");
    try {
      owner.ok("config", "set", "repair.every", "2s");
      owner.start();
      for (MeshAgent p : first) {
        p.start();
        p.ok("join", owner.invite("1G"), "--quota", "100M"); // 20% full after the backup
      }
      Path src = dir.resolve("src");
      Files.createDirectories(src);
      BackupRestoreIT.writeRandom(src.resolve("big.bin"), 40_000_000, 11);
      owner.ok("source", "add", src.toString(), "--name", "docs");
      owner.ok("backup", "docs");
      long packs = owner.json("status").get("packs").asLong();
      assertTrue(packs >= 3, "several packs: " + packs);

      late.start();
      late.ok("join", owner.invite("1G"), "--quota", "100M");

      long deadline = System.nanoTime() + 120_000_000_000L;
      long onLate = 0;
      while (System.nanoTime() < deadline && onLate == 0) {
        JsonNode health = owner.json("status").get("health");
        assertEquals(packs, health.get("healthy").asLong(), "every pack keeps all its shards while moving: " + health);
        onLate = MeshAgent.row(owner.json("partners"), "p4").get("shards").asLong();
        Thread.sleep(500); // polling the owner, bounded by the deadline
      }
      assertTrue(onLate > 0, "no shard moved to the new partner\n" + owner.log());
      // the round's log line comes after its moves are recorded: a poll can see a moved shard first
      owner.awaitLog("rebalancing: moved", java.time.Duration.ofSeconds(60));

      // what moved left its old partner: every partner keeps exactly what the owner records there
      JsonNode rows = owner.json("partners");
      for (MeshAgent p : List.of(first.get(0), first.get(1), first.get(2), late)) {
        long recorded = MeshAgent.row(rows, p.name).get("shards").asLong();
        assertEquals(recorded, shardFiles(p), p.name + " keeps what the owner records there");
      }
      long total = 0;
      for (JsonNode r : rows) {
        total += r.get("shards").asLong();
      }
      assertEquals(packs * 3, total, "2+1: three shards per pack, no more, no fewer");

      // the data is still safe against losing a partner, whichever it is
      first.get(0).kill();
      Path out = dir.resolve("restored");
      owner.ok("restore", "latest", "--target", out.toString());
      Trees.assertSameTree(src, out);
    } finally {
      for (MeshAgent p : first) {
        p.close();
      }
      late.close();
      owner.close();
    }
  }

  private static long shardFiles(MeshAgent partner) throws Exception {
    Path shards = partner.home().resolve("hosted/owner/shards");
    if (!Files.isDirectory(shards)) {
      return 0;
    }
    try (var w = Files.walk(shards)) {
      return w.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("catalog.")).count();
    }
  }
}
