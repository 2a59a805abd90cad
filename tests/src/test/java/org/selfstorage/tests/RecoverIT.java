package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The house burns down: the owner's whole home is deleted, and with only the recovery code and one
 * partner's address everything comes back on a new home — with another partner down, from a
 * partner that holds no shard of the data.
 */
class RecoverIT {
  @TempDir Path dir;

  @Test
  void wholeHomeLost_recoversFromCodeAndOnePartner_everySnapshotRestoresExactly() throws Exception {
    MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.9");
    List<MeshAgent> partners = List.of(MeshAgent.create(dir, "r1", "127.0.0.10"),
        MeshAgent.create(dir, "r2", "127.0.0.11"), MeshAgent.create(dir, "r3", "127.0.0.12"));
    MeshAgent late = MeshAgent.create(dir, "r4", "127.0.0.13");
    try {
      owner.start();
      for (MeshAgent p : partners) {
        p.start();
        p.ok("join", owner.invite("1G"), "--quota", "1G");
      }
      Path src = dir.resolve("src");
      Files.createDirectories(src.resolve("sub"));
      owner.ok("source", "add", src.toString(), "--name", "docs");
      List<Path> versions = new ArrayList<>();
      for (int v = 0; v < 3; v++) {
        BackupRestoreIT.writeRandom(src.resolve("sub/file" + v + ".bin"), 3_000_000, 40 + v);
        Files.writeString(src.resolve("notes.txt"), "version " + v + "\n".repeat(v + 1));
        owner.ok("backup", "docs", "--time", "2026-05-0" + (v + 1) + "T12:00:00Z");
        Path copy = dir.resolve("version" + v);
        copyTree(src, copy);
        versions.add(copy);
      }
      // r4 joins after the data: it gets the catalog copy (prune publishes one) but no shard; the
      // owner's rebalancing rounds leave it so, as the others keep under 1% of their quota each
      late.start();
      late.ok("join", owner.invite("1G"), "--quota", "1G");
      owner.ok("prune");
      assertEquals(0, MeshAgent.row(owner.json("partners"), "r4").get("shards").asLong());
      String code = owner.ok("key", "recovery-code", "--yes").stdout().trim();

      owner.kill();
      Path oldMachine = dir.resolve("old-machine-home");
      copyTree(owner.home(), oldMachine); // the old disk, found again after the recovery
      Trees.deleteTree(owner.home());
      partners.get(1).kill(); // r2 is down during the recovery

      Repo fresh = new Repo(dir.resolve("new-machine"));
      char[] typo = code.toCharArray();
      typo[3] = typo[3] == 'A' ? 'B' : 'A';
      Cli.Result wrong = fresh.run("recover", "--recovery-code", new String(typo), "--partner", late.address());
      assertEquals(2, wrong.exitCode(), wrong.toString());
      assertTrue(wrong.stderr().contains("RECOVERY_CODE_INVALID"), wrong.toString());
      assertFalse(Files.exists(fresh.home.resolve("catalog.db")), "a refused recovery writes nothing");

      // H4: only the code, no address: the message says what is missing and where to find it
      Cli.Result noPlace = fresh.run("recover", "--recovery-code", code);
      assertEquals(2, noPlace.exitCode(), noPlace.toString());
      assertTrue(noPlace.stderr().contains("RECOVERY_SOURCE") && noPlace.stderr().contains("--partner"), noPlace.toString());
      // H3: a well-formed code of another key: the partner has no agreement with it, nothing is written
      Repo stranger = new Repo(dir.resolve("stranger"));
      stranger.ok("init");
      String otherCode = stranger.ok("key", "recovery-code", "--yes").stdout().trim();
      Cli.Result other = fresh.run("recover", "--recovery-code", otherCode, "--partner", late.address());
      assertEquals(1, other.exitCode(), other.toString());
      assertTrue(other.stderr().contains("no agreement with your key"), other.toString());
      assertFalse(Files.exists(fresh.home.resolve("catalog.db")), "a refused recovery writes nothing");

      Cli.Result r = fresh.ok("recover", "--recovery-code", code, "--partner", late.address());
      assertTrue(r.stdout().contains("3 snapshots"), r.toString());
      assertTrue(r.stdout().contains("partner r2: unreachable"), r.toString());
      JsonNode snapshots = fresh.json("snapshots");
      assertEquals(3, snapshots.size());
      for (int v = 0; v < 3; v++) {
        Path out = dir.resolve("restored" + v);
        fresh.ok("restore", snapshots.get(v).get("id").asText(), "--target", out.toString());
        Trees.assertSameTree(versions.get(v), out);
      }
      // fencing: the old machine comes back with its old state; it may not change anything on partners
      long shardsBefore = countFiles(partners.get(0).home().resolve("hosted/owner"));
      Cli.Result stale = Cli.run(oldMachine, "backup", "docs");
      assertEquals(1, stale.exitCode(), stale.toString());
      assertTrue(stale.stderr().contains("FENCED") && stale.stderr().contains("recovered on another machine"),
          stale.toString());
      Cli.Result stalePrune = Cli.run(oldMachine, "prune");
      assertEquals(1, stalePrune.exitCode(), stalePrune.toString());
      assertEquals(shardsBefore, countFiles(partners.get(0).home().resolve("hosted/owner")));

      // the recovered home takes up its duties: its agent starts and backs up to the partners again
      MeshAgent recovered = MeshAgent.adopt(fresh, "owner", owner.host, owner.port).start();
      try {
        Files.writeString(src.resolve("after.txt"), "after the fire");
        JsonNode b = recovered.json("backup", "docs");
        assertTrue(b.get("dataShards").asInt() >= 1, b.toString());
      } finally {
        recovered.close();
      }
    } finally {
      for (MeshAgent p : partners) {
        p.close();
      }
      late.close();
      owner.close();
    }
  }


  @Test
  void catalogLostAlone_doctorSaysSo_commandsRefuse_andRecoverRebuildsIt() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    BackupRestoreIT.writeRandom(src.resolve("a.bin"), 2_000_000, 9);
    Repo repo = Repo.create(dir, "usb1", "usb2", "nas");
    repo.ok("source", "add", src.toString(), "--name", "docs");
    repo.ok("backup", "docs");
    repo.ok("backup", "docs");
    Files.delete(repo.home.resolve("catalog.db"));
    Files.deleteIfExists(repo.home.resolve("catalog.db-wal"));
    Files.deleteIfExists(repo.home.resolve("catalog.db-shm"));

    Cli.Result doctor = repo.run("doctor");
    assertEquals(1, doctor.exitCode(), doctor.toString());
    assertTrue(doctor.stdout().contains("CATALOG_MISSING") && doctor.stdout().contains("recover"), doctor.toString());
    // no command may start an empty catalog: its copies would replace the good ones on the stores
    Cli.Result backup = repo.run("backup", "docs");
    assertEquals(1, backup.exitCode(), backup.toString());
    assertTrue(backup.stderr().contains("CATALOG_MISSING"), backup.toString());
    assertFalse(Files.exists(repo.home.resolve("catalog.db")));

    repo.ok("recover", "--store", repo.store("nas").toString());
    assertEquals(2, repo.json("snapshots").size());
    assertEquals(0, repo.run("doctor").exitCode());
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  private static long countFiles(Path root) throws Exception {
    try (var s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!Files.isRegularFile(p)) {
          continue; // a socket of the dead agent
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          Files.setLastModifiedTime(t, Files.getLastModifiedTime(p)); // the copy keeps only microseconds
        }
      }
    }
    // directories last, deepest first: copying files into them changed their times
    try (var s = Files.walk(from)) {
      List<Path> dirs = s.filter(Files::isDirectory).toList();
      for (int i = dirs.size() - 1; i >= 0; i--) {
        Path d = dirs.get(i);
        Files.setLastModifiedTime(to.resolve(from.relativize(d).toString()), Files.getLastModifiedTime(d));
      }
    }
  }
}
