package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network and process faults between an owner and three partners (reliability.md §6, rows B and
 * D): each partner is reached only through a {@link FaultProxy} (it advertises the proxy's
 * address), so links can be slowed, blackholed, stalled, reset or garbled, and partners can be
 * paused with SIGSTOP. Every scenario ends by restoring acknowledged snapshots byte for byte; the
 * last one restores all of them. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(FaultReport.class)
class FaultSuiteIT {
  /** A command stuck on a dead partner must end well within this (partner.timeout is 5 s here). */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private MeshAgent owner;
  private final List<MeshAgent> partners = new ArrayList<>();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private Path src;
  private AckedSnapshots acked;
  private int generation;

  @BeforeAll
  void startMesh() throws Exception {
    owner = MeshAgent.create(dir, "owner", "127.0.0.40");
    // a dead or paused partner is given up on after 5 s rather than 15 (read when the agent starts),
    // so the faults cost less waiting
    owner.ok("config", "set", "partner.timeout", "5s");
    owner.start();
    for (int i = 1; i <= 3; i++) {
      String host = "127.0.0." + (40 + i);
      int port = MeshAgent.freePort(host);
      FaultProxy proxy = FaultProxy.start(host, host, port);
      MeshAgent p = MeshAgent.createAdvertised(dir, "p" + i, host, port, proxy.address());
      // partners call the owner every second: B4 then also proves that a partner the owner cannot
      // reach (its link blackholed) stays unreachable however often it calls the owner itself
      p.ok("config", "set", "agent.hello-every", "1s");
      p.start();
      p.ok("join", owner.invite("1G"), "--quota", "1G");
      partners.add(p);
      proxies.add(proxy);
    }
    src = dir.resolve("src");
    Files.createDirectories(src.resolve("docs"));
    BackupRestoreIT.writeRandom(src.resolve("docs/a.bin"), 3_000_000, 1);
    Files.writeString(src.resolve("docs/notes.txt"), "notes ".repeat(50_000));
    for (int i = 0; i < 50; i++) {
      Files.writeString(src.resolve("docs/small-" + i + ".txt"), "small " + i);
    }
    owner.ok("source", "add", src.toString(), "--name", "docs");
    acked = new AckedSnapshots(dir.resolve("expected"));
  }

  @AfterAll
  void stopMesh() throws Exception {
    for (MeshAgent p : partners) {
      p.close();
    }
    proxies.forEach(FaultProxy::close);
    if (owner != null) {
      owner.close();
    }
  }

  private MeshAgent p(int i) {
    return partners.get(i - 1);
  }

  private FaultProxy proxy(int i) {
    return proxies.get(i - 1);
  }

  /** New data in the source, so that every backup has shards to place. */
  private void change(int bytes) throws Exception {
    generation++;
    BackupRestoreIT.writeRandom(src.resolve("docs/gen-" + generation + ".bin"), bytes, 1000 + generation);
    Files.writeString(src.resolve("docs/notes.txt"), "generation " + generation + "\n", java.nio.file.StandardOpenOption.APPEND);
  }

  /** Runs a command through the owner; fails the test if it does not end within {@code limit}. */
  private Cli.Result bounded(Duration limit, String... args) throws Exception {
    CompletableFuture<Cli.Result> f = CompletableFuture.supplyAsync(() -> {
      try {
        return owner.run(args);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      return f.get(limit.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("selfstorage " + String.join(" ", args) + " did not end within " + limit
          + "\n" + owner.log());
    }
  }

  private String backupAcknowledged(Cli.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r::toString);
    return acked.acknowledge(r, src);
  }

  private static void assertClearFailure(Cli.Result r, String... codes) {
    assertEquals(1, r.exitCode(), r::toString);
    assertTrue(Stream.of(codes).anyMatch(c -> r.stderr().contains(c + ":")), () -> "expected one of "
        + List.of(codes) + ": " + r);
    assertTrue(r.stderr().contains("Next: "), () -> "the next command is shown: " + r);
  }

  /** Waits until the owner sees every partner answering again (after a heal or SIGCONT). */
  private void awaitAllPartnersOk() throws Exception {
    long start = System.nanoTime();
    long deadline = start + BOUND.toNanos();
    JsonNode rows = null;
    while (System.nanoTime() < deadline) {
      rows = owner.json("partners");
      boolean all = true;
      for (JsonNode row : rows) {
        all &= row.get("status").asText().equals("ok");
      }
      if (all) {
        System.out.printf("all partners ok again after %.1f s%n", (System.nanoTime() - start) / 1e9);
        return;
      }
      Thread.sleep(500); // polling the owner's view, bounded by the deadline
    }
    throw new AssertionError("partners not all ok again within " + BOUND + ": " + rows);
  }

  @Test
  @Order(1)
  @DisplayName("baseline: backup through three relays, restore exact")
  void baseline(FaultReport.Scenario s) throws Exception {
    JsonNode b = Repo.JSON.readTree(owner.ok("backup", "docs", "--json").stdout());
    assertEquals(2, b.get("dataShards").asInt(), b::toString);
    assertEquals(1, b.get("parityShards").asInt(), b::toString);
    acked.acknowledge(new Cli.Result(0, b.toString(), ""), src);
    for (FaultProxy proxy : proxies) {
      assertTrue(proxy.relayed() > 1_000_000, "shards went through the relay: " + proxy.relayed());
    }
    acked.verifyAll(owner, dir, s);
  }

  @Test
  @Order(2)
  @DisplayName("B6 slow link: 200 KiB/s and 50 ms to p1, backup and restore complete")
  void slowLink(FaultReport.Scenario s) throws Exception {
    proxy(1).latency(50).bandwidth(200 * 1024);
    s.fault("p1 link: 50 ms latency per chunk, 200 KiB/s");
    try {
      change(600_000);
      long t0 = System.nanoTime();
      Cli.Result r = bounded(Duration.ofSeconds(120), "backup", "docs", "--json");
      String id = backupAcknowledged(r);
      assertFalse(r.stdout().contains("p1 is unavailable"), () -> "a slow but live partner is not set aside: " + r);
      assertEquals(2, Repo.JSON.readTree(r.stdout()).get("dataShards").asInt(), r::toString);
      System.out.printf("B6: backup over the slow link took %.1f s%n", (System.nanoTime() - t0) / 1e9);
      acked.verify(owner, id, dir, s);
    } finally {
      proxy(1).heal();
    }
  }

  @Test
  @Order(3)
  @DisplayName("B4 blackhole: p2 silent, backup completes on the others; p2 and p3 silent, NOT_ENOUGH_SITES")
  void blackhole(FaultReport.Scenario s) throws Exception {
    proxy(2).set(FaultProxy.Mode.BLACKHOLE);
    s.fault("p2 link: blackhole");
    try {
      change(400_000);
      long t0 = System.nanoTime();
      Cli.Result r = bounded(BOUND, "backup", "docs", "--json");
      String id = backupAcknowledged(r);
      assertTrue(r.stdout().contains("store p2 is unavailable"), () -> "the silent partner is named: " + r);
      JsonNode b = Repo.JSON.readTree(r.stdout());
      assertEquals(2, b.get("dataShards").asInt() + b.get("parityShards").asInt(), "placed on the two others: " + b);
      System.out.printf("B4: backup with one partner blackholed took %.1f s%n", (System.nanoTime() - t0) / 1e9);
      acked.verify(owner, id, dir, s);
      // --offline: the last contact as recorded, without waiting out another hello
      assertEquals("unreachable", MeshAgent.row(owner.json("partners", "--offline"), "p2").get("status").asText());

      proxy(3).set(FaultProxy.Mode.BLACKHOLE);
      s.fault("p3 link: blackhole");
      change(100_000);
      Cli.Result refused = bounded(BOUND, "backup", "docs");
      assertClearFailure(refused, "NOT_ENOUGH_SITES");
      assertTrue(refused.stderr().contains("selfstorage store add"), refused::toString);
    } finally {
      proxy(2).heal();
      proxy(3).heal();
    }
    awaitAllPartnersOk();
  }

  @Test
  @Order(4)
  @DisplayName("B5 gray failure: p1 SIGSTOPped, restore and backup route around it")
  void grayFailure(FaultReport.Scenario s) throws Exception {
    p(1).pause();
    s.fault("p1: SIGSTOP");
    try {
      long t0 = System.nanoTime();
      String latest = acked.ids().get(acked.size() - 1);
      CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
        try {
          acked.verify(owner, latest, dir, s);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      restore.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      System.out.printf("B5: restore with a paused partner took %.1f s%n", (System.nanoTime() - t0) / 1e9);

      change(400_000);
      Cli.Result r = bounded(BOUND, "backup", "docs", "--json");
      backupAcknowledged(r);
      assertTrue(r.stdout().contains("store p1 is unavailable"), () -> "the paused partner is named: " + r);
      assertFalse(r.stdout().contains("Future") || r.stdout().contains("specified timeout"),
          () -> "why, in plain words, not MINA's: " + r);
    } finally {
      p(1).resume();
    }
    awaitAllPartnersOk();
    acked.verify(owner, acked.ids().get(acked.size() - 1), dir, s);
  }

  /** A link fault armed mid-transfer: the backup completes elsewhere or fails clearly; nothing acknowledged is lost. */
  private void midTransfer(FaultReport.Scenario s, int partner, FaultProxy.Mode mode) throws Exception {
    proxy(partner).after(300_000, mode);
    s.fault("p" + partner + " link: " + mode + " after 300 kB");
    try {
      change(3_000_000);
      Cli.Result r = bounded(Duration.ofSeconds(90), "backup", "docs", "--json");
      // with three sites every pack uses all three; a pack whose shard fails is placed again on the
      // two left (1+1, still surviving one loss), so the backup completes
      assertEquals(0, r.exitCode(), () -> mode + " mid-transfer: the backup should complete on the others: " + r);
      acked.acknowledge(r, src);
      System.out.println(mode + " mid-transfer: backup completed on the others");
    } finally {
      proxy(partner).heal();
    }
    awaitAllPartnersOk();
    acked.verify(owner, acked.ids().get(acked.size() - 1), dir, s);
  }

  @Test
  @Order(5)
  @DisplayName("B4 reset: p3 resets connections mid-transfer")
  void resetMidTransfer(FaultReport.Scenario s) throws Exception {
    midTransfer(s, 3, FaultProxy.Mode.RESET);
  }

  @Test
  @Order(6)
  @DisplayName("B5 stall: p1 stops forwarding mid-transfer")
  void stallMidTransfer(FaultReport.Scenario s) throws Exception {
    midTransfer(s, 1, FaultProxy.Mode.STALL);
  }

  @Test
  @Order(7)
  @DisplayName("B4 half-open: p2 vanishes without FIN mid-transfer")
  void halfOpenMidTransfer(FaultReport.Scenario s) throws Exception {
    midTransfer(s, 2, FaultProxy.Mode.HALF_OPEN);
  }

  @Test
  @Order(8)
  @DisplayName("C3/7.2 garbled link: p3's bytes corrupted in flight")
  void garbledLink(FaultReport.Scenario s) throws Exception {
    midTransfer(s, 3, FaultProxy.Mode.GARBLE);
  }

  @Test
  @Order(9)
  @DisplayName("B3 flapping partner: p2's link reset and back every 2 s, backups keep succeeding")
  void flappingPartner(FaultReport.Scenario s) throws Exception {
    java.util.concurrent.atomic.AtomicBoolean flapping = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread flapper = new Thread(() -> {
      boolean down = false;
      while (flapping.get()) {
        down = !down;
        if (down) {
          proxy(2).set(FaultProxy.Mode.RESET);
        } else {
          proxy(2).heal();
        }
        try {
          Thread.sleep(2000); // the fault's rhythm, not a synchronisation
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "flapper");
    s.fault("p2 link: reset / pass, every 2 s, for up to 24 s");
    int backups = 0;
    flapper.start();
    try {
      long end = System.nanoTime() + Duration.ofSeconds(24).toNanos();
      // bigger changes and at most 8 backups: every acknowledged snapshot is restored at the end
      while (System.nanoTime() < end && backups < 8) {
        change(3_000_000);
        Cli.Result r = bounded(BOUND, "backup", "docs", "--json");
        backupAcknowledged(r);
        backups++;
      }
    } finally {
      flapping.set(false);
      flapper.interrupt();
      flapper.join();
      proxy(2).heal();
    }
    System.out.println("B3: " + backups + " backups while p2 flapped, every one acknowledged");
    assertTrue(backups >= 3, "backups kept running: " + backups);
    awaitAllPartnersOk();
    for (String id : acked.ids().subList(acked.size() - Math.min(backups, 3), acked.size())) {
      acked.verify(owner, id, dir, s);
    }
  }

  @Test
  @Order(10)
  @DisplayName("D4 read-only disk: a partner's hosted directory remounted read-only")
  void readOnlyHostDisk(FaultReport.Scenario s) throws Exception {
    MeshAgent ro = MeshAgent.create(dir, "ro", "127.0.0.45");
    Path hosted = ro.home().resolve("hosted");
    Files.createDirectories(hosted);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", hosted.toString())
        .redirectErrorStream(true).start();
    String why = new String(mount.getInputStream().readAllBytes()).trim();
    Assumptions.assumeTrue(mount.waitFor() == 0, "skipped: cannot mount a tmpfs here (" + why + ")");
    try {
      ro.ok("config", "set", "agent.hello-every", "1s"); // its disk check runs with every hello round
      ro.start();
      ro.ok("join", owner.invite("1G"), "--quota", "1G");
      awaitAllPartnersOk();
      change(2_000_000);
      String before = backupAcknowledged(bounded(BOUND, "backup", "docs", "--json"));
      try (Stream<Path> files = Files.walk(hosted)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("[0-9a-f]{32}\\.\\d+")),
            "ro took shards while writable");
      }
      Process remount = new ProcessBuilder("mount", "-o", "remount,ro", hosted.toString())
          .redirectErrorStream(true).start();
      String remountWhy = new String(remount.getInputStream().readAllBytes()).trim();
      Assumptions.assumeTrue(remount.waitFor() == 0, "skipped: cannot remount read-only (" + remountWhy + ")");
      s.fault("ro: hosted directory remounted read-only");
      // the partner itself notices and says so, with what to do
      long until = System.nanoTime() + BOUND.toNanos();
      JsonNode finding = null;
      while (finding == null && System.nanoTime() < until) {
        for (JsonNode f : ro.json("status").get("findings")) {
          if (f.get("code").asText().equals("HOSTED_NOT_WRITABLE")) {
            finding = f;
          }
        }
        if (finding == null) {
          Thread.sleep(250); // polling the partner's own status, bounded by the deadline
        }
      }
      if (finding == null) {
        throw new AssertionError("ro did not notice its read-only disk\n" + ro.log());
      }
      assertTrue(finding.toString().contains("Read-only file system") && finding.toString().contains("remount"),
          finding::toString);

      change(2_000_000);
      Cli.Result r = bounded(BOUND, "backup", "docs", "--json");
      assertEquals(0, r.exitCode(), () -> "the owner routes around a read-only partner: " + r);
      // told at hello, before sending anything: placed around, not failed on
      assertTrue(r.toString().contains("store ro takes no new shards (its disk: Read-only file system"),
          r::toString);
      acked.acknowledge(r, src);
      JsonNode told = null;
      JsonNode ownerStatus = owner.json("status");
      for (JsonNode f : ownerStatus.get("findings")) {
        if (f.get("code").asText().equals("PARTNER_NOT_WRITABLE")) {
          told = f;
        }
      }
      assertTrue(told != null && told.get("what").asText().startsWith("ro's disk takes no new shards"),
          () -> "the owner's status names the read-only partner: " + ownerStatus);
      acked.verify(owner, acked.ids().get(acked.size() - 1), dir, s);

      // reads of what it kept still work: with p1 paused, the earlier snapshot needs ro's shards
      p(1).pause();
      s.fault("p1: SIGSTOP while ro is read-only");
      try {
        CompletableFuture.runAsync(() -> {
          try {
            acked.verify(owner, before, dir, s);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }).get(BOUND.toSeconds(), TimeUnit.SECONDS);
      } finally {
        p(1).resume();
      }
      awaitAllPartnersOk();
      owner.ok("partners", "remove", "ro", "--force");
    } finally {
      ro.close();
      new ProcessBuilder("umount", "-l", hosted.toString()).start().waitFor();
    }
  }

  @Test
  @Order(11)
  @DisplayName("D1 host disk full: a partner whose disk is an 8 MiB tmpfs")
  void hostDiskFull(FaultReport.Scenario s) throws Exception {
    Path disk = dir.resolve("tiny-disk");
    Files.createDirectories(disk);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
        .redirectErrorStream(true).start();
    String why = new String(mount.getInputStream().readAllBytes()).trim();
    Assumptions.assumeTrue(mount.waitFor() == 0, "skipped: cannot mount an 8 MiB tmpfs here (" + why + ")");
    MeshAgent tiny = null;
    try {
      // the partner promises 1 GiB, but its disk holds 8 MiB: the disk, not the quota, says no
      tiny = MeshAgent.create(disk, "tiny", "127.0.0.44");
      tiny.start();
      tiny.ok("join", owner.invite("1G"), "--quota", "1G");
      s.fault("tiny: hosted directory on an 8 MiB tmpfs, 1 GiB promised");
      change(20_000_000);
      Cli.Result r = bounded(Duration.ofSeconds(120), "backup", "docs", "--json");
      if (r.exitCode() == 0) {
        acked.acknowledge(r, src);
      } else {
        assertClearFailure(r, "STORE_FULL");
        assertTrue(r.stderr().contains("tiny"), r::toString);
        assertTrue(r.stderr().contains("Everything stored before is safe"), r::toString);
      }
      Path incoming = tiny.home().resolve("hosted/owner/incoming");
      if (Files.isDirectory(incoming)) {
        try (Stream<Path> left = Files.list(incoming)) {
          assertEquals(List.of(), left.toList(), "no partial upload is left on the full partner");
        }
      }
      owner.ok("partners", "remove", "tiny", "--force");
    } finally {
      if (tiny != null) {
        tiny.close();
      }
      new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
    }
    acked.verify(owner, acked.ids().get(acked.size() - 1), dir, s);
  }

  @Test
  @Order(12)
  @DisplayName("E1 owner clock 2 h ahead: backups go on, forget and prune refuse with CLOCK_SKEW")
  void ownerClockAhead(FaultReport.Scenario s) throws Exception {
    owner.stop();
    owner.start("--clock-offset", "PT2H");
    s.fault("owner clock +2 h");
    try {
      change(300_000);
      backupAcknowledged(bounded(BOUND, "backup", "docs", "--json"));
      for (String command : List.of("forget", "prune")) {
        Cli.Result r = bounded(BOUND, command);
        assertClearFailure(r, "CLOCK_SKEW");
        assertTrue(r.stderr().contains("2h00m ahead of its partners'") && r.stderr().contains("timedatectl"),
            r::toString);
      }
    } finally {
      owner.stop();
      owner.start();
    }
    awaitAllPartnersOk();
    owner.ok("forget"); // with the clock right again (and no policy: nothing to forget)
  }

  @Test
  @Order(13)
  @DisplayName("after every fault: all acknowledged snapshots restore exact, check passes")
  void nothingAcknowledgedIsLost(FaultReport.Scenario s) throws Exception {
    awaitAllPartnersOk();
    acked.verifyAll(owner, dir, s);
    Cli.Result check = owner.run("check", "--read-data");
    assertEquals(0, check.exitCode(), check::toString);
    assertTrue(acked.size() >= 5, "the scenarios that must scenarios acknowledged a snapshot: " + acked.size());
  }
}
