package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partner's quota is enforced on its side: a backup that would pass it fails cleanly, names the
 * partner, and leaves nothing partial there or in the catalog. The owner runs no agent here: its
 * commands act on the home directly while the partner's agent serves.
 */
class QuotaIT {
  @TempDir Path dir;

  /**
   * Pairs the owner with {@code host}, which keeps up to {@code hostQuota} for it, adds a local store
   * (a second site) and the source "docs" holding one random file of {@code bytes}; returns the source.
   */
  private Path pairWithOneFile(MeshAgent owner, MeshAgent host, String hostQuota, int bytes) throws Exception {
    owner.ok("join", host.invite(hostQuota), "--quota", "1G");
    owner.ok("store", "add", dir.resolve("usb").toString(), "--site", "usb");
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    BackupRestoreIT.writeRandom(src.resolve("first.bin"), bytes, 1);
    owner.ok("source", "add", src.toString(), "--name", "docs");
    return src;
  }

  @Test
  void backupPastThePartnersQuota_failsCleanly_andLeavesNothingPartial() throws Exception {
    try (MeshAgent small = MeshAgent.create(dir, "small", "127.0.0.7").start()) {
      MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.8");
      pairWithOneFile(owner, small, "2M", 12_000_000);

      Cli.Result r = owner.run("backup", "docs");
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.stderr().contains("STORE_FULL") && r.stderr().contains("small"), r.toString());
      assertTrue(r.stderr().contains("Next:"), r.toString());

      Path hosted = small.home().resolve("hosted").resolve("owner");
      long bytes;
      List<Path> incoming;
      try (Stream<Path> s = Files.walk(hosted)) {
        bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
      try (Stream<Path> s = Files.list(hosted.resolve("incoming"))) {
        incoming = s.toList();
      }
      assertTrue(bytes <= 2 << 20, "the partner keeps at most its quota: " + bytes);
      assertEquals(List.of(), incoming, "no partial upload is left on the partner");
      assertEquals(0, owner.json("snapshots").size(), "no snapshot was recorded");
      owner.ok("check");
      // the host's owner is told, once, with the command that gives more room
      com.fasterxml.jackson.databind.JsonNode told = null;
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (told == null && System.nanoTime() < until) {
        for (com.fasterxml.jackson.databind.JsonNode e : small.json("events", "--limit", "100")) {
          if (e.get("code").asText().equals("PARTNER_QUOTA_REFUSED")) {
            told = e;
          }
        }
        if (told == null) {
          Thread.sleep(200); // polling the host's events (written off the SSH threads), bounded by the deadline
        }
      }
      assertTrue(told != null && told.get("message").asText().startsWith("owner's shard of "), String.valueOf(told));
      assertTrue(told.get("fix").asText().contains("partners set-quota owner SIZE"), told.toString());
      String text = small.ok("events", "--severity", "info").stdout();
      assertTrue(text.contains("PARTNER_QUOTA_REFUSED") && text.contains("Next: nothing is needed"), text);
      assertEquals(2, small.run("events", "--severity", "loud").exitCode(), "an unknown severity is a usage error");

      // an upload a crash interrupted (A3): the partner removes it, naming it, before it serves again
      Path leftover = hosted.resolve("incoming").resolve("ab12.0.part-0123456789abcdef");
      Files.write(leftover, new byte[1000]);
      small.kill();
      small.start();
      assertTrue(Files.notExists(leftover), "the interrupted upload is removed at start");
      assertTrue(small.log().contains("removed owner/incoming/ab12.0.part-0123456789abcdef (1000 bytes): an upload from owner "
          + "that was interrupted"), small.log());

      // D5: the disk keeping partners' shards is not mounted: the agent refuses to serve an empty directory
      small.stop();
      Path real = small.home().resolve("hosted.real");
      Files.move(small.home().resolve("hosted"), real);
      Files.createDirectories(small.home().resolve("hosted"));
      Cli.Result refused = small.run("agent", "--no-warm-up");
      assertEquals(1, refused.exitCode(), refused.toString());
      assertTrue(refused.stderr().contains("HOSTED_NOT_MOUNTED") && refused.stderr().contains("not mounted?")
          && refused.stderr().contains("Next: mount that disk"), refused.toString());
      Files.delete(small.home().resolve("hosted"));
      Files.move(real, small.home().resolve("hosted"));
      small.start();
      owner.ok("check");
    }
  }

  /**
   * partners set-quota, with both agents running: the host lowers the quota it grants below what the
   * owner keeps there, and the owner is told at once; the owner's next backup is refused with nothing
   * partial and nothing it stored before deleted; with the quota raised again it goes through. Bad
   * arguments are refused with the code that names them.
   */
  @Test
  void quotaChangedByTheHost_appliesAtOnce_tellsThePartner_andDeletesNothing() throws Exception {
    try (MeshAgent host = MeshAgent.create(dir, "host", "127.0.0.7").start();
        MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.8").start()) {
      Path src = pairWithOneFile(owner, host, "1G", 3_000_000);
      owner.ok("backup", "docs");

      Cli.Result lowered = host.ok("partners", "set-quota", "owner", "1M");
      assertTrue(lowered.stdout().contains("We now keep up to 1.0 MiB for owner (was 1.0 GiB")
          && lowered.stdout().contains("owner was told") && lowered.stdout().contains("nothing is deleted"),
          lowered.toString());
      assertEquals(1 << 20, MeshAgent.row(host.json("partners", "--offline"), "owner").get("hostsForThem").asLong());
      assertEquals(1 << 20, MeshAgent.row(owner.json("partners", "--offline"), "host").get("hostsForUs").asLong(),
          "the owner was told, without waiting for its next hello");

      BackupRestoreIT.writeRandom(src.resolve("second.bin"), 3_000_000, 2);
      Cli.Result refused = owner.run("backup", "docs");
      assertEquals(1, refused.exitCode(), refused.toString());
      assertTrue(refused.stderr().contains("host") && refused.stderr().contains("Next:"), refused.toString());
      try (Stream<Path> in = Files.list(host.home().resolve("hosted").resolve("owner").resolve("incoming"))) {
        assertEquals(List.of(), in.toList(), "no partial upload is left on the host");
      }
      assertEquals(1, owner.json("snapshots").size());
      owner.ok("check", "--read-data"); // every shard of the first backup is still there
      JsonNode seen = MeshAgent.row(owner.json("partners"), "host");
      assertEquals(1 << 20, seen.get("hostsForUs").asLong(),
          "a hello gives the quota as it is now, not as it was when the session logged in");
      long diskFree = Files.getFileStore(dir).getUsableSpace();
      assertTrue(Math.abs(seen.get("diskFree").asLong() - diskFree) < (256L << 20),
          "the host told the free space of its disk: " + seen + " vs " + diskFree);

      host.ok("partners", "set-quota", "owner", "1G");
      // with an upload limit the ~3 MB shard of second.bin (k=1 here: the whole pack) takes its time
      assertEquals(2, owner.run("config", "set", "upload.max-rate", "1MB").exitCode(), "the rule is 1M");
      owner.ok("config", "set", "upload.max-rate", "1M");
      long t0 = System.nanoTime();
      owner.ok("backup", "docs");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds >= 2.5, "3 MB to the partner in " + seconds + " s at upload.max-rate 1M");
      owner.ok("config", "set", "upload.max-rate", "0");
      assertEquals(2, owner.json("snapshots").size());
      Path out = dir.resolve("out");
      owner.ok("restore", "latest", "--target", out.toString());
      assertEquals(-1, Files.mismatch(src.resolve("second.bin"), out.resolve("second.bin")));

      // the host's own limit on what each partner sends it: the running host applies it within
      // seconds, the owner learns it at hello, shows it and keeps to it (its deadlines never fire)
      assertEquals(2, host.run("config", "set", "hosting.max-rate", "fast").exitCode());
      host.ok("config", "set", "hosting.max-rate", "1M");
      host.awaitLog("each partner may send shards here at up to 1.0 MiB/s", Duration.ofSeconds(30));
      BackupRestoreIT.writeRandom(src.resolve("third.bin"), 3_000_000, 3);
      t0 = System.nanoTime();
      owner.ok("backup", "docs");
      seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds >= 2.5, "3 MB to the partner in " + seconds + " s at its hosting.max-rate 1M");
      assertEquals(1 << 20, MeshAgent.row(owner.json("partners"), "host").get("maxRate").asLong());
      assertTrue(owner.ok("partners").stdout().contains("takes our shards at up to 1.0 MiB/s"));
      host.ok("config", "set", "hosting.max-rate", "0");
      host.awaitLog("partners may send shards here as fast as they can", Duration.ofSeconds(30));
      Path third = dir.resolve("third");
      owner.ok("restore", "latest", "--target", third.toString());
      assertEquals(-1, Files.mismatch(src.resolve("third.bin"), third.resolve("third.bin")));

      // changed by a process of its own while the agent runs: the agent gives live sessions the new
      // quota at its next look at the agreements (every 2 s)
      Cli.Result direct = Cli.run(Map.of("SELFSTORAGE_NO_AGENT", "1"), host.home(),
          "partners", "set-quota", "owner", "2G");
      assertEquals(0, direct.exitCode(), direct.toString());
      host.awaitLog("partner owner may now keep up to " + (2L << 30) + " bytes here", Duration.ofSeconds(30));

      Cli.Result unknown = host.run("partners", "set-quota", "nobody", "1G");
      assertEquals(2, unknown.exitCode(), unknown.toString());
      assertTrue(unknown.stderr().contains("PARTNER_UNKNOWN"), unknown.toString());
      Cli.Result zero = host.run("partners", "set-quota", "owner", "0");
      assertEquals(2, zero.exitCode(), zero.toString());
      assertTrue(zero.stderr().contains("QUOTA_INVALID"), zero.toString());
      Cli.Result garbled = host.run("partners", "set-quota", "owner", "lots");
      assertEquals(2, garbled.exitCode(), garbled.toString());
      assertEquals(2L << 30, MeshAgent.row(host.json("partners", "--offline"), "owner").get("hostsForThem").asLong(),
          "a refused change changes nothing");

      // with the owner's usb disk gone, the host keeps the only copies (k=1): removing it, even forced,
      // is refused, and they stay restorable
      Trees.deleteTree(dir.resolve("usb"));
      Cli.Result needed = owner.run("partners", "remove", "host", "--force");
      assertEquals(1, needed.exitCode(), needed.toString());
      assertTrue(needed.stderr().contains("PARTNER_NEEDED") && needed.stderr().contains("would lose"),
          needed.toString());
      Path kept = dir.resolve("kept");
      owner.ok("restore", "latest", "--target", kept.toString());
      assertEquals(-1, Files.mismatch(src.resolve("second.bin"), kept.resolve("second.bin")));
    }
  }
}
