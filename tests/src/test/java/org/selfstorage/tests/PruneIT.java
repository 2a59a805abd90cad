package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forget and prune free space, repack what is mostly unused, and survive kill -9 anywhere. */
class PruneIT {
  @TempDir Path dir;

  @Test
  void prune_repacksMostlyUnusedPacks_freesSpace_andKeepsEveryKeptFile() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    int size = 1_800_000;
    for (int i = 0; i < 4; i++) {
      BackupRestoreIT.writeRandom(src.resolve("f" + i), size, i); // one data pack (8 MiB) holds all four
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    repo.ok("backup", "s", "--time", "2026-01-01T00:00:00Z");
    for (int i = 0; i < 3; i++) {
      Files.delete(src.resolve("f" + i));
    }
    repo.ok("backup", "s", "--time", "2026-01-02T00:00:00Z");
    long before = repo.json("status").get("storedBytes").asLong();
    repo.ok("policy", "set", "s", "--keep-last", "1");
    JsonNode dry = repo.json("forget", "--dry-run");
    assertEquals(0, dry.get("sources").get(0).get("snapshots").get(1).get("keptBy").size(), dry.toString());
    assertEquals("last", dry.get("sources").get(0).get("snapshots").get(0).get("keptBy").get(0).asText());
    assertEquals(2, repo.json("snapshots").size(), "a dry run changes nothing");

    JsonNode r = repo.json("forget", "--prune");
    JsonNode prune = r.get("prune");
    assertTrue(prune.get("packsRepacked").asInt() >= 1, r.toString());
    assertTrue(prune.get("bytesFreed").asLong() > 3L * size, r.toString()); // three files' shards
    long after = repo.json("status").get("storedBytes").asLong();
    assertTrue(after < before / 3, "stored " + before + " -> " + after);
    repo.ok("check", "--read-data");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  @Test
  void taggedSnapshots_areKeptByKeepTag_untilTheTagIsRemoved() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s");
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      Files.writeString(src.resolve("day" + i), "day " + i);
      List<String> args = new java.util.ArrayList<>(List.of("backup", "s", "--time", "2026-01-0" + (i + 1) + "T00:00:00Z"));
      if (i == 0) {
        args.addAll(List.of("--tag", "before-upgrade", "--tag", "q1"));
      }
      ids[i] = repo.json(args.toArray(String[]::new)).get("snapshotId").asText();
    }
    JsonNode tagged = repo.json("snapshots", "--tag", "before-upgrade");
    assertEquals(1, tagged.size(), tagged.toString());
    assertEquals(ids[0], tagged.get(0).get("id").asText());
    assertEquals("[\"before-upgrade\",\"q1\"]", tagged.get(0).get("tags").toString());
    assertTrue(repo.ok("snapshots").stdout().contains("tags: before-upgrade, q1"));

    // a malformed tag is refused before anything is done
    Cli.Result bad = repo.run("backup", "s", "--tag", "two words");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.stderr().contains("'two words' is not a tag"), bad::toString);
    assertEquals(2, repo.run("tag", "latest", "--add", ",").exitCode());
    assertEquals(2, repo.run("policy", "set", "s", "--keep-tag", "-x").exitCode());
    assertEquals(3, repo.json("snapshots").size(), "nothing was added by the refused backup");

    repo.ok("policy", "set", "s", "--keep-last", "1", "--keep-tag", "before-upgrade");
    assertEquals("[\"before-upgrade\"]", repo.json("policy", "show", "s").get("s").get("keepTags").toString());
    JsonNode forget = repo.json("forget");
    JsonNode verdicts = forget.get("sources").get(0).get("snapshots");
    assertEquals("tag before-upgrade", verdicts.get(2).get("keptBy").get(0).asText(), forget.toString());
    assertEquals(List.of(ids[0], ids[2]), ids(repo.json("snapshots")));

    JsonNode changed = repo.json("tag", ids[0].substring(0, 8), "--remove", "before-upgrade", "--add", "old");
    assertEquals("[\"old\",\"q1\"]", changed.get("tags").toString());
    repo.ok("forget");
    assertEquals(List.of(ids[2]), ids(repo.json("snapshots")), "untagged, it goes with the policy");

    // forgetting by name: a wrong name forgets nothing; a dry run changes nothing; then exactly those go
    repo.ok("policy", "set", "s", "--keep-last", "10");
    String kept = repo.json("backup", "s", "--time", "2026-01-05T00:00:00Z").get("snapshotId").asText();
    String extra = repo.json("backup", "s", "--time", "2026-01-06T00:00:00Z").get("snapshotId").asText();
    Cli.Result wrong = repo.run("forget", "--snapshot", extra.substring(0, 8), "--snapshot", "ffff0000");
    assertEquals(2, wrong.exitCode(), wrong::toString);
    assertTrue(wrong.stderr().contains("no snapshot id starts with 'ffff0000'"), wrong::toString);
    assertEquals(2, repo.run("forget", "s", "--snapshot", "latest").exitCode(), "SOURCE and --snapshot together");
    JsonNode dryNamed = repo.json("forget", "--snapshot", extra.substring(0, 8), "--dry-run");
    assertEquals(extra, dryNamed.get("sources").get(0).get("snapshots").get(0).get("id").asText(), dryNamed.toString());
    assertEquals(List.of(ids[2], kept, extra), ids(repo.json("snapshots")), "nothing forgotten yet");
    JsonNode named = repo.json("forget", "--snapshot", ids[2].substring(0, 8), "--snapshot", "latest");
    assertEquals("named on the command line", named.get("sources").get(0).get("policy").asText(), named.toString());
    assertEquals(List.of(kept), ids(repo.json("snapshots")), "exactly the two named snapshots went, whatever the policy");

    // forget --tag: the policy among the tagged snapshots alone; the others are neither counted nor forgotten
    String n1 = repo.json("backup", "s", "--time", "2026-01-07T00:00:00Z", "--tag", "nightly").get("snapshotId").asText();
    String n2 = repo.json("backup", "s", "--time", "2026-01-08T00:00:00Z", "--tag", "nightly").get("snapshotId").asText();
    String plain = repo.json("backup", "s", "--time", "2026-01-09T00:00:00Z").get("snapshotId").asText();
    repo.ok("policy", "set", "s", "--keep-last", "1");
    assertEquals(2, repo.run("forget", "--tag", "nightly", "--snapshot", n1).exitCode(), "--tag and --snapshot together");
    assertEquals(2, repo.run("forget", "--tag", "two words").exitCode());
    JsonNode tagged2 = repo.json("forget", "--tag", "nightly");
    assertEquals("--keep-last 1 among snapshots tagged nightly", tagged2.get("sources").get(0).get("policy").asText(),
        tagged2.toString());
    assertEquals(2, tagged2.get("sources").get(0).get("snapshots").size(), "only the tagged ones were weighed");
    assertEquals(List.of(kept, n2, plain), ids(repo.json("snapshots")), "the older nightly went, nothing else");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  private static List<String> ids(JsonNode snapshots) {
    List<String> out = new java.util.ArrayList<>();
    snapshots.forEach(s -> out.add(s.get("id").asText()));
    return out;
  }

  @Test
  void prune_killedAtManyPoints_neverLosesAKeptBlob_andTheNextPruneFinishes() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    for (int i = 0; i < 10; i++) {
      BackupRestoreIT.writeRandom(src.resolve("f" + i), 2_000_000, 50 + i);
      if (i > 0) {
        Files.delete(src.resolve("f" + (i - 1)));
      }
      repo.ok("backup", "s", "--quiet", "--time", "2026-02-" + (10 + i) + "T00:00:00Z");
    }
    repo.ok("policy", "set", "s", "--keep-last", "2");
    repo.ok("forget");
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random points = new Random(seed);
    int kills = 0;
    for (int round = 0; round < 5; round++) {
      int before = repo.shardFileCount("a", "b", "c");
      int target = before - 1 - points.nextInt(6);
      Process p = new ProcessBuilder(Cli.command(repo.home, "prune", "--quiet"))
          .redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null")).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && repo.shardFileCount("a", "b", "c") > target && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        p.waitFor(2, TimeUnit.MILLISECONDS);
      }
      if (p.isAlive()) {
        p.destroyForcibly().waitFor();
        kills++;
      }
      Cli.Result check = repo.run("check");
      assertEquals(0, check.exitCode(), "seed " + seed + ", round " + round + ": " + check);
    }
    assertTrue(kills >= 2, "some rounds should have killed a running prune (seed " + seed + ")");
    JsonNode last = repo.json("prune");
    assertEquals(0, last.get("pendingDeletes").asInt(), last.toString());
    repo.ok("check", "--read-data");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
    assertEquals(2, repo.json("snapshots").size());
  }
}
