package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audits against a partner that lost, truncated and mixed up shards, and against quiet bit rot
 * that the partner's own scrub finds: every damaged shard is named and rebuilt, and everything
 * restores exact.
 */
class AuditIT {
  @TempDir Path dir;

  @Test
  void damagedShardsOnAPartner_areFoundByAudits_andRebuilt() throws Exception {
    MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.30");
    List<MeshAgent> partners = List.of(MeshAgent.create(dir, "p1", "127.0.0.31"),
        MeshAgent.create(dir, "p2", "127.0.0.32"), MeshAgent.create(dir, "p3", "127.0.0.33"));
    try {
      owner.start();
      for (MeshAgent p : partners) {
        p.start();
        p.ok("join", owner.invite("1G"), "--quota", "1G");
      }
      Path src = dir.resolve("src");
      Files.createDirectories(src);
      BackupRestoreIT.writeRandom(src.resolve("big.bin"), 60_000_000, 7);
      owner.ok("source", "add", src.toString(), "--name", "docs");
      owner.ok("backup", "docs");

      // p1 loses one shard, truncates one, and has two swapped (each a valid shard, of the wrong pack)
      List<Path> p1 = shards(partners.get(0));
      assertTrue(p1.size() >= 4, "one shard of each of at least four packs on p1: " + p1);
      Files.delete(p1.get(0));
      byte[] b = Files.readAllBytes(p1.get(1));
      Files.write(p1.get(1), java.util.Arrays.copyOf(b, b.length / 2));
      byte[] c = Files.readAllBytes(p1.get(2));
      Files.write(p1.get(2), Files.readAllBytes(p1.get(3)));
      Files.write(p1.get(3), c);
      Set<String> harmed = new TreeSet<>();
      for (int i = 0; i < 4; i++) {
        harmed.add(packOf(p1.get(i)));
      }

      owner.ok("config", "set", "audit.challenges", "1000");
      JsonNode audit = owner.json("audit");
      Set<String> named = new TreeSet<>();
      for (JsonNode d : audit.get("damaged")) {
        assertTrue(d.asText().contains(" on p1"), "only p1 was harmed: " + d);
        named.add(d.asText().replaceAll(".* of pack ([0-9a-f]+) on .*", "$1"));
      }
      assertEquals(4, audit.get("damaged").size(), "each harmed shard is named once: " + audit);
      for (String h : harmed) {
        assertTrue(named.stream().anyMatch(h::startsWith), "pack " + h + " was harmed but not named: " + audit);
      }
      assertEquals(4, audit.get("repair").get("rebuilt").size(), "all four rebuilt: " + audit);
      JsonNode p1Audit = row(audit.get("stores"), "p1");
      assertEquals(4, p1Audit.get("wrongAnswers").asInt(), "p1 failed the challenges of the harmed shards: " + audit);

      // the trust score: p1 failed a challenge and a whole read for each harmed shard, p2 nothing
      JsonNode listed = owner.json("partners", "--offline");
      JsonNode p1Trust = row(listed, "p1");
      assertTrue(p1Trust.get("auditFailures").asInt() >= 8 && p1Trust.get("trust").asDouble() < 0.95,
          "p1's trust score fell: " + p1Trust);
      assertEquals(1.0, row(listed, "p2").get("trust").asDouble(), "p2 passed every check: " + listed);
      assertTrue(owner.ok("partners", "--offline").stdout().contains("audit checks of our shards failed"),
          "partners names p1's failed checks");

      boolean reported = false;
      int untrusted = 0;
      for (JsonNode f : owner.json("status").get("findings")) {
        reported |= f.get("code").asText().equals("AUDIT_FAILED") && f.get("fix").asText().contains("selfstorage audit");
        if (f.get("code").asText().equals("PARTNER_UNTRUSTED")) {
          untrusted++;
          assertTrue(f.get("what").asText().startsWith("p1 passed "), f.toString());
        }
      }
      assertTrue(reported, "status reports the failed audit with the command to look again");
      assertEquals(1, untrusted, "p1 alone is named untrusted");

      JsonNode again = owner.json("audit");
      assertEquals(0, again.get("damaged").size(), "a second audit is clean: " + again);
      owner.ok("check", "--read-data");

      // p1's own count of what the owner keeps there follows its disk again at its next audit round,
      // and p1's owner learns that files were removed by hand
      MeshAgent p1Agent = partners.get(0);
      p1Agent.ok("config", "set", "audit.every", "1s");
      p1Agent.awaitLog("usage: the shards owner keeps here take", java.time.Duration.ofSeconds(30));
      JsonNode corrected = null;
      for (JsonNode e : p1Agent.json("events")) {
        if (e.get("code").asText().equals("HOSTED_USAGE_CORRECTED")) {
          corrected = e;
        }
      }
      assertTrue(corrected != null && corrected.toString().contains("were removed outside selfstorage"),
          "p1 was told: " + p1Agent.json("events"));
      p1Agent.ok("config", "set", "audit.every", "6h");

      // quiet bit rot on p2: no challenge needs to hit it, p2's scrub finds it and tells us
      MeshAgent p2 = partners.get(1);
      Path rotten = shards(p2).get(0);
      byte[] good = Files.readAllBytes(rotten);
      byte[] flipped = good.clone();
      flipped[flipped.length / 2] ^= 0x40;
      Files.write(rotten, flipped);
      p2.ok("config", "set", "audit.verify-every", "2s");
      p2.ok("config", "set", "audit.every", "1s");
      owner.ok("config", "set", "audit.challenges", "0");
      owner.ok("config", "set", "audit.every", "1s");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !java.util.Arrays.equals(body(good), body(readOrEmpty(rotten)))) {
        Thread.sleep(200); // polling p2's file until the owner rewrites it, bounded by the deadline
      }
      // the body comes back byte for byte (the header's tag is sealed anew, with a fresh nonce)
      assertArrayEquals(body(good), body(readOrEmpty(rotten)), "the rotten shard was rewritten\n" + p2.log()
          + owner.log());
      // each agent logs after it has acted: wait for the lines rather than race them
      p2.awaitLog("scrub: ", java.time.Duration.ofSeconds(30));
      owner.awaitLog("audit: damaged shard", java.time.Duration.ofSeconds(30));

      Path out = dir.resolve("restored");
      owner.ok("restore", "latest", "--target", out.toString());
      Trees.assertSameTree(src, out);

      // dump through the running agent, from the partners' shards: byte-exact to a file; to a full
      // disk it stops and fails (the client closes the control socket) instead of ending "ok"
      Path dumped = dir.resolve("dumped.bin");
      Process d = new ProcessBuilder(Cli.command(owner.home(), "dump", "latest", "big.bin"))
          .redirectOutput(dumped.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertEquals(0, d.waitFor());
      assertArrayEquals(Files.readAllBytes(src.resolve("big.bin")), Files.readAllBytes(dumped));
      Path err = dir.resolve("dump-full.err");
      Process full = new ProcessBuilder(Cli.command(owner.home(), "dump", "latest", "big.bin"))
          .redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
      assertEquals(1, full.waitFor());
      assertTrue(Files.readString(err).contains("OUTPUT_FAILED: writing the output failed part-way"), Files.readString(err));
      owner.awaitLog("a command's caller went away before it ended", java.time.Duration.ofSeconds(30));
    } finally {
      for (MeshAgent p : partners) {
        p.close();
      }
      owner.close();
    }
  }

  /** A shard file's body: what follows its 64-byte header and 28-byte tag. */
  private static byte[] body(byte[] shard) {
    return java.util.Arrays.copyOfRange(shard, Math.min(92, shard.length), shard.length);
  }

  private static byte[] readOrEmpty(Path p) throws Exception {
    return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
  }

  /** The element of an array of stores (audit) or partners whose name is {@code store}. */
  private static JsonNode row(JsonNode array, String store) {
    for (JsonNode r : array) {
      if (r.path(r.has("store") ? "store" : "name").asText().equals(store)) {
        return r;
      }
    }
    throw new AssertionError("no row for " + store + " in " + array);
  }

  private static String packOf(Path shard) {
    String n = shard.getFileName().toString();
    return n.substring(0, n.indexOf('.'));
  }

  /** The pack shard files a partner keeps for the owner, in name order. */
  private static List<Path> shards(MeshAgent partner) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> w = Files.walk(partner.home().resolve("hosted/owner/shards"))) {
      w.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("catalog."))
          .sorted().forEach(out::add);
    }
    return out;
  }
}
