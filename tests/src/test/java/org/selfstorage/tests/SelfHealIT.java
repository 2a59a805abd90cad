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
 * Five agents as separate processes: a partner dies (kill -9); once it counts as lost the owner's
 * agent rebuilds its shards on the spare site by itself, and then a restore survives losing a
 * second partner.
 */
class SelfHealIT {
  @TempDir Path dir;

  @Test
  void lostPartner_isHealedByItself_andARestoreThenSurvivesAnotherLoss() throws Exception {
    MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.20");
    List<MeshAgent> partners = List.of(MeshAgent.create(dir, "h1", "127.0.0.21"),
        MeshAgent.create(dir, "h2", "127.0.0.22"), MeshAgent.create(dir, "h3", "127.0.0.23"),
        MeshAgent.create(dir, "h4", "127.0.0.24"));
    try {
      owner.ok("config", "set", "repair.grace", "5s");
      owner.ok("config", "set", "repair.sweep-every", "1s");
      owner.ok("config", "set", "repair.every", "2s");
      owner.ok("store", "add", dir.resolve("owner-usb").toString(), "--site", "usb");
      owner.start();
      for (MeshAgent p : partners) {
        p.start();
        p.ok("join", owner.invite("1G"), "--quota", "1G");
      }
      Path src = dir.resolve("src");
      Files.createDirectories(src);
      BackupRestoreIT.writeRandom(src.resolve("a.bin"), 20_000_000, 5);
      Files.writeString(src.resolve("b.txt"), "self-healing ".repeat(10_000));
      owner.ok("source", "add", src.toString(), "--name", "docs");
      JsonNode b = owner.json("backup", "docs");
      assertEquals(3, b.get("dataShards").asInt(), "five sites: 3+1 with one spare site: " + b);

      // the partner holding a shard of every pack dies; pick one that holds shards
      MeshAgent victim = partners.stream().filter(p -> {
        try {
          return MeshAgent.row(owner.json("partners", "--offline"), p.name).get("shards").asLong() > 0;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).findFirst().orElseThrow();
      victim.kill();
      long killedAt = System.nanoTime();

      // no command from the test: the owner's agent notices, waits out the grace, and rebuilds
      long deadline = killedAt + 180_000_000_000L;
      JsonNode health = null;
      while (System.nanoTime() < deadline) {
        health = owner.json("status").get("health");
        if (health.get("degraded").asLong() + health.get("atRisk").asLong() + health.get("lost").asLong() == 0
            && MeshAgent.row(owner.json("partners", "--offline"), victim.name).get("shards").asLong() == 0) {
          break;
        }
        Thread.sleep(500); // polling the owner's status, bounded by the deadline
      }
      double seconds = (System.nanoTime() - killedAt) / 1e9;
      assertEquals(0, health.get("degraded").asLong() + health.get("atRisk").asLong() + health.get("lost").asLong(),
          "not healed within the deadline: " + health + "\n" + owner.log());
      System.out.printf("self-healing: full redundancy %.1f s after the partner died (grace 5 s)%n", seconds);
      assertTrue(owner.log().contains("self-healing: rebuilt"), owner.log());

      // the lost partner comes back: what it still keeps for us is surplus now, and goes after a second look
      // (rebalancing may then move shards onto it again: those it keeps are exactly those recorded there)
      Path victimHosted = victim.home().resolve("hosted/owner/shards");
      long surplus = shardFiles(victimHosted);
      assertTrue(surplus > 0, "the returning partner still has its old shards");
      victim.start();
      long sweepDeadline = System.nanoTime() + 180_000_000_000L;
      // every recorded shard file exists from before its record: equal counts mean nothing unrecorded is left
      // a rebalance writes a shard before it records it: compare one reading of both, not two
      long recorded = recordedOn(owner, victim);
      long kept = shardFiles(victimHosted);
      while (System.nanoTime() < sweepDeadline && kept != recorded) {
        Thread.sleep(500); // polling the partner's directory, bounded by the deadline
        recorded = recordedOn(owner, victim);
        kept = shardFiles(victimHosted);
      }
      assertEquals(recorded, kept, "the returning partner keeps exactly what is recorded there, no surplus\n" + owner.log());
      // the owner learns the partner's figure at its next hello, and a rebalance may still move a shard:
      // poll until both sides show the same number
      long agreeDeadline = System.nanoTime() + 60_000_000_000L;
      long theirs = MeshAgent.row(victim.json("partners"), "owner").get("usedByThem").asLong();
      long ours = MeshAgent.row(owner.json("partners"), victim.name).get("reportedByThem").asLong();
      while (System.nanoTime() < agreeDeadline && theirs != ours) {
        Thread.sleep(500); // polling both sides' partner lists, bounded by the deadline
        theirs = MeshAgent.row(victim.json("partners"), "owner").get("usedByThem").asLong();
        ours = MeshAgent.row(owner.json("partners"), victim.name).get("reportedByThem").asLong();
      }
      assertEquals(theirs, ours, "both sides agree on what the returning partner keeps");

      // a second partner dies: k = 3 shards remain of every pack, the restore is exact
      MeshAgent second = partners.stream().filter(p -> p != victim).findFirst().orElseThrow();
      second.kill();
      Path out = dir.resolve("restored");
      owner.ok("restore", "latest", "--target", out.toString());
      Trees.assertSameTree(src, out);
    } finally {
      for (MeshAgent p : partners) {
        p.close();
      }
      owner.close();
    }
  }


  private static long recordedOn(MeshAgent owner, MeshAgent partner) throws Exception {
    return MeshAgent.row(owner.json("partners", "--offline"), partner.name).get("shards").asLong();
  }

  /** Shard files (not catalog copies) in a hosted shards directory. */
  private static long shardFiles(Path shards) throws Exception {
    if (!Files.isDirectory(shards)) {
      return 0;
    }
    try (var w = Files.walk(shards)) {
      return w.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("catalog.")).count();
    }
  }
}
