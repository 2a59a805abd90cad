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
      // every recorded shard file exists from before its record: equal counts mean nothing unrecorded is left
      assertBecomeEqual(180, () -> recordedOn(owner, victim), () -> shardFiles(victimHosted),
          () -> "the returning partner keeps exactly what is recorded there, no surplus\n" + owner.log());
      // the owner learns the partner's figure at its next hello
      assertBecomeEqual(60, () -> MeshAgent.row(victim.json("partners"), "owner").get("usedByThem").asLong(),
          () -> MeshAgent.row(owner.json("partners"), victim.name).get("reportedByThem").asLong(),
          () -> "both sides agree on what the returning partner keeps");

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


  /** A count read from a running agent or its files. */
  private interface Reading {
    long read() throws Exception;
  }

  /**
   * Polls until {@code expected} and {@code actual} read the same, then asserts it. Both are read
   * together each time: a rebalance may write a shard (and only then record it) between two
   * separate readings, so a pair read apart can differ by one although the agents agree.
   */
  private static void assertBecomeEqual(int seconds, Reading expected, Reading actual,
      java.util.concurrent.Callable<String> message) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long e = expected.read();
    long a = actual.read();
    while (System.nanoTime() < deadline && e != a) {
      Thread.sleep(500); // polling, bounded by the deadline
      e = expected.read();
      a = actual.read();
    }
    assertEquals(e, a, message.call());
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
