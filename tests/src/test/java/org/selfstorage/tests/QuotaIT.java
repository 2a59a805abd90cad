package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void backupPastThePartnersQuota_failsCleanly_andLeavesNothingPartial() throws Exception {
    try (MeshAgent small = MeshAgent.create(dir, "small", "127.0.0.7").start()) {
      MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.8");
      owner.ok("join", small.invite("2M"), "--quota", "1G");
      owner.ok("store", "add", dir.resolve("usb").toString(), "--site", "usb");
      Path src = dir.resolve("src");
      Files.createDirectories(src);
      BackupRestoreIT.writeRandom(src.resolve("big.bin"), 12_000_000, 3);
      owner.ok("source", "add", src.toString(), "--name", "docs");

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
}
