package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With three stores (2+1), any one store can vanish or rot and every file still comes back. */
class RedundancyIT {
  @TempDir Path dir;

  private Repo backedUp(Path src) throws Exception {
    Files.createDirectories(src.resolve("sub"));
    BackupRestoreIT.writeRandom(src.resolve("big.bin"), 20_000_000, 11); // two packs
    BackupRestoreIT.writeRandom(src.resolve("sub/small.bin"), 70_000, 12);
    Files.writeString(src.resolve("sub/text.txt"), "lorem ipsum ".repeat(300_000));
    Repo repo = Repo.create(dir, "usb1", "usb2", "nas");
    repo.ok("source", "add", src.toString(), "--name", "docs");
    repo.ok("backup", "docs");
    return repo;
  }

  @ParameterizedTest
  @ValueSource(strings = {"usb1", "usb2", "nas"})
  void restore_afterOneStoreDeletedEntirely_returnsEveryFile(String lost) throws Exception {
    Path src = dir.resolve("src");
    Repo repo = backedUp(src);
    Trees.deleteTree(repo.store(lost));

    var status = repo.json("status");
    assertEquals(0, status.get("health").get("lost").asLong(), status.toString());
    assertTrue(status.get("health").get("atRisk").asLong() > 0, status.toString());
    // every other site holds a shard of every pack already: the missing ones have nowhere to go
    assertTrue(findingCodes(status).contains("NO_ROOM"), status.toString());
    assertTrue(finding(status, "NO_ROOM").get("fix").asText().contains("selfstorage store add"), status.toString());
    repo.ok("store", "add", dir.resolve("spare").toString(), "--site", "spare");
    var withSpare = repo.json("status");
    assertTrue(!findingCodes(withSpare).contains("NO_ROOM"), "a new site is room: " + withSpare);

    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  @Test
  void aStoreIsRetired_onlyOnceItsShardsLiveOnAnotherSite_orWhenForced() throws Exception {
    Path src = dir.resolve("src");
    Repo repo = backedUp(src);
    int onNas = repo.shardFileCount("nas");
    assertTrue(onNas >= 3, "a shard of every pack on nas: " + onNas);

    // no other site can take nas's shards: it stays, and nothing changed
    Cli.Result kept = repo.run("store", "remove", "nas");
    assertEquals(1, kept.exitCode(), kept::toString);
    assertTrue(kept.stdout().contains("STORE_KEPT") && kept.stdout().contains("selfstorage store add"), kept::toString);
    assertEquals(3, repo.json("store", "list").size());
    assertEquals(0, repo.json("status").get("health").get("atRisk").asLong());

    repo.ok("store", "add", repo.store("spare").toString(), "--site", "spare");
    var removed = repo.json("store", "remove", "nas");
    assertTrue(removed.get("removed").asBoolean(), removed.toString());
    assertEquals(onNas, removed.get("moved").asInt(), removed.toString());
    assertEquals(onNas, repo.shardFileCount("spare"), "every shard moved to the new site");
    assertEquals(onNas, repo.shardFileCount("nas"), "the retired store's files are left as they were");
    assertEquals(List.of("usb1", "usb2", "spare"), names(repo.json("store", "list")));
    var status = repo.json("status");
    assertEquals(0, status.get("health").get("atRisk").asLong(), status.toString());
    Trees.deleteTree(repo.store("nas"));
    repo.ok("check", "--read-data");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);

    // a store whose disk died: its shards are rebuilt from the others, never read; here there is no
    // third site left for them, so only --force retires it, and the packs are left at k + 0
    Trees.deleteTree(repo.store("usb2"));
    assertEquals(1, repo.run("store", "remove", "usb2").exitCode());
    var forced = repo.json("store", "remove", "usb2", "--force");
    assertTrue(forced.get("removed").asBoolean() && forced.get("notMoved").size() > 0, forced.toString());
    assertEquals(List.of("usb1", "spare"), names(repo.json("store", "list")));
    assertTrue(repo.json("status").get("health").get("atRisk").asLong() > 0, "status shows the lost redundancy");
    Path again = dir.resolve("again");
    repo.ok("restore", "latest", "--target", again.toString());
    Trees.assertSameTree(src, again);

    // a readable store with shards the packs need to reach k is never forgotten, not even forced
    Cli.Result needed = repo.run("store", "remove", "spare", "--force");
    assertEquals(1, needed.exitCode(), needed::toString);
    assertTrue(needed.stderr().contains("STORE_NEEDED") && needed.stderr().contains("would lose"), needed::toString);
    assertEquals(List.of("usb1", "spare"), names(repo.json("store", "list")));
    Path still = dir.resolve("still");
    repo.ok("restore", "latest", "--target", still.toString());
    Trees.assertSameTree(src, still);

    Cli.Result unknown = repo.run("store", "remove", "usb9");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.stderr().contains("STORE_UNKNOWN"), unknown::toString);
  }

  private static List<String> names(com.fasterxml.jackson.databind.JsonNode stores) {
    List<String> out = new java.util.ArrayList<>();
    stores.forEach(s -> out.add(s.get("name").asText()));
    return out;
  }

  @Test
  void flippedByte_isNamedByCheck_restoredAroundAndRepaired() throws Exception {
    Path src = dir.resolve("src");
    Repo repo = backedUp(src);
    List<Path> shards = repo.shardFiles("usb2");
    Path victim = shards.get(shards.size() / 2);
    try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
      long pos = f.length() / 2;
      f.seek(pos);
      int b = f.read();
      f.seek(pos);
      f.write(b ^ 0x40);
    }

    Cli.Result check = repo.run("check", "--read-data");
    assertEquals(1, check.exitCode(), check.toString());
    assertTrue(check.stdout().contains("on store usb2"), check.toString());
    assertTrue(check.stdout().contains(victim.getFileName().toString()), check.toString());
    assertTrue(check.stdout().contains("does not match its checksum"), check.toString());
    assertTrue(check.stdout().contains("Next: selfstorage repair"), check.toString());

    // read in two parts: exactly one of them reads the damaged shard's pack, together they read every pack
    int failed = 0;
    long read = 0;
    for (String part : List.of("1/2", "2/2")) {
      Cli.Result half = repo.run("check", "--read-data-subset", part, "--json");
      var r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(half.stdout());
      read += r.get("packsRead").asLong();
      failed += half.exitCode() == 1 ? 1 : 0;
      assertEquals(half.exitCode() == 1, r.get("damaged").toString().contains(victim.getFileName().toString()),
          half::toString);
    }
    assertEquals(1, failed, "the damaged shard is in one part");
    assertEquals(repo.json("status").get("packs").asLong(), read, "the parts together are every pack");
    assertEquals(2, repo.run("check", "--read-data-subset", "3/2").exitCode());
    assertEquals(2, repo.run("check", "--read-data", "--read-data-subset", "5%").exitCode());

    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);

    Cli.Result repair = repo.ok("repair");
    assertTrue(repair.stdout().contains("rebuilt 1 shards"), repair.toString());
    repo.ok("check", "--read-data");
  }

  @Test
  void secondLoss_beyondTolerance_isReportedNotHidden() throws Exception {
    Path src = dir.resolve("src");
    Repo repo = backedUp(src);
    Trees.deleteTree(repo.store("usb1"));
    Trees.deleteTree(repo.store("usb2"));
    var status = repo.json("status");
    assertNotEquals(0, status.get("health").get("lost").asLong(), status.toString());
    Cli.Result restore = repo.run("restore", "latest", "--target", dir.resolve("out").toString());
    assertEquals(1, restore.exitCode(), restore.toString());
    assertTrue(restore.stdout().contains("FAILED"), restore.toString());
  }

  private static java.util.List<String> findingCodes(com.fasterxml.jackson.databind.JsonNode status) {
    java.util.List<String> codes = new java.util.ArrayList<>();
    status.get("findings").forEach(f -> codes.add(f.get("code").asText()));
    return codes;
  }

  private static com.fasterxml.jackson.databind.JsonNode finding(com.fasterxml.jackson.databind.JsonNode status,
      String code) {
    for (var f : status.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    throw new AssertionError("no " + code + " in " + status);
  }
}
