package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.ClientSettings.DataPath;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.HostKeyMismatchException;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.QuotaExceededException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.StoreUnavailableException;

/** The remote store's behaviour when the partner misbehaves: wrong key, silence, stalls, full quota. */
class SshShardStoreTest {
  private static final Duration BOUND = Duration.ofSeconds(8); // the 2 s deadline, with slack for a busy machine

  @TempDir Path dir;
  private TestAgents agents;
  private HostedPartner alice;
  private PartnerConnections connections;
  private final List<AutoCloseable> closeLater = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    agents = new TestAgents(dir);
    alice = agents.host(TestAgents.ALICE, "alice", 4L << 20);
    agents.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connections != null) {
      connections.close();
    }
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    agents.close();
  }

  private ShardStore store(ClientSettings settings, int port, HostKeyFingerprint pin) {
    if (connections == null) {
      connections = Federation.partnerConnections(TestAgents.ALICE, settings);
    }
    return connections.shardStore("host", new PartnerAddress("127.0.0.1", port), pin);
  }

  private ShardStore store(DataPath path) {
    return store(TestAgents.clientSettings().withDataPath(path), agents.server.port(), HostKeyFingerprint.of(TestAgents.HOST));
  }

  private static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private static <T extends Throwable> T assertFailsWithin(Duration bound, Class<T> type, Runnable r) {
    long t0 = System.nanoTime();
    T e = assertThrows(type, r::run);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < bound.toMillis(), "took " + ms + " ms: " + e);
    return e;
  }

  @Test
  void wrongHostKey_failsWithBothFingerprints_andSendsNothing() throws Exception {
    HostKeyFingerprint wrong = HostKeyFingerprint.of(TestAgents.BOB);
    ShardStore s = store(TestAgents.clientSettings(), agents.server.port(), wrong);
    HostKeyMismatchException e = assertThrows(HostKeyMismatchException.class, () -> s.put(new ShardName("ab01.0"), data(10)));
    assertEquals("HOST_KEY_MISMATCH", e.code());
    assertEquals(TestAgents.HOST.fingerprint(), e.presented());
    assertEquals(wrong, e.pinned());
    assertTrue(e.getMessage().contains(TestAgents.HOST.fingerprint()) && e.getMessage().contains(wrong.value()), e.getMessage());
    assertTrue(Files.notExists(alice.root().resolve("shards")), "nothing reached the server");
  }

  @Test
  void unknownKey_isRefusedLogin_notUnreachable() {
    agents.agreements.clear();
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store(DataPath.SHARD_CHANNEL).list(""));
    assertEquals("STORE_UNAVAILABLE", e.code());
    assertTrue(e.getMessage().contains("refused our login"), e.getMessage());
  }

  /** reliability.md §7.2: a listing longer than the partner could hold for us is refused, not trusted. */
  @Test
  void endlessListing_isRefused_withinBoundedMemory() throws Exception {
    for (int fan = 0; fan < 3; fan++) {
      Path dirOnHost = alice.root().resolve("shards").resolve(String.format("a%d", fan));
      Files.createDirectories(dirOnHost);
      for (int i = 0; i < 50; i++) {
        Files.write(dirOnHost.resolve(String.format("a%d%02x.0", fan, i)), new byte[1]);
      }
    }
    ShardStore limited = store(TestAgents.clientSettings().withMaxListing(100), agents.server.port(),
        HostKeyFingerprint.of(TestAgents.HOST));
    FederationException e = assertThrows(FederationException.class, () -> limited.list(""));
    assertTrue(e.getMessage().contains("more than 100 entries"), e.getMessage());
    connections.close();
    connections = null;
    ShardStore roomy = store(TestAgents.clientSettings().withMaxListing(1000), agents.server.port(),
        HostKeyFingerprint.of(TestAgents.HOST));
    assertEquals(150, roomy.list("").size());
  }

  @Test
  void nothingListening_isUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ShardStore s = store(TestAgents.clientSettings(), port, HostKeyFingerprint.of(TestAgents.HOST));
    PartnerUnreachableException e = assertFailsWithin(BOUND, PartnerUnreachableException.class, () -> s.stat(new ShardName("ab01.0")));
    assertEquals("PARTNER_UNREACHABLE", e.code());
    assertTrue(e.getMessage().contains("nothing answers at 127.0.0.1:" + port + " (its agent is not running"),
        e.getMessage());
    assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("Future"), e.getMessage());
  }

  @Test
  void serverThatAcceptsButNeverAnswers_failsWithinTheDeadline() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closeLater.add(silent);
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      try {
        while (true) {
          held.add(silent.accept()); // accept, read nothing, say nothing
        }
      } catch (IOException e) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
    ShardStore s = store(TestAgents.clientSettings(), silent.getLocalPort(), HostKeyFingerprint.of(TestAgents.HOST));
    PartnerUnreachableException e = assertFailsWithin(BOUND, PartnerUnreachableException.class,
        () -> s.put(new ShardName("ab01.0"), data(1000)));
    assertTrue(e.getMessage().contains("handshake"), e.getMessage());
    assertFailsWithin(BOUND, PartnerUnreachableException.class, () -> s.list(""));
    for (Socket h : held) {
      h.close();
    }
  }

  @ParameterizedTest
  @EnumSource(DataPath.class)
  void partnerStallingMidUpload_failsWithinTheDeadline_andLeavesNothing(DataPath path) throws Exception {
    StallingProxy proxy = new StallingProxy(agents.server.port());
    closeLater.add(proxy);
    ShardStore s = store(TestAgents.clientSettings().withDataPath(path), proxy.port(), HostKeyFingerprint.of(TestAgents.HOST));
    s.put(new ShardName("ab01.0"), data(1000)); // session up and working
    proxy.stallAfter(256 * 1024);
    PartnerUnreachableException e = assertFailsWithin(BOUND, PartnerUnreachableException.class,
        () -> s.put(new ShardName("ab02.0"), data(3 << 20)));
    assertEquals("PARTNER_UNREACHABLE", e.code());
    assertTrue(Files.notExists(alice.root().resolve("shards/ab/ab02.0")));
    assertTrue(Files.exists(alice.root().resolve("shards/ab/ab01.0")));
  }

  @ParameterizedTest
  @EnumSource(DataPath.class)
  void partnerStallingMidDownload_failsWithinTheDeadline_thenRecovers(DataPath path) throws Exception {
    StallingProxy proxy = new StallingProxy(agents.server.port());
    closeLater.add(proxy);
    ShardStore s = store(TestAgents.clientSettings().withDataPath(path), proxy.port(), HostKeyFingerprint.of(TestAgents.HOST));
    byte[] big = data(3 << 20);
    s.put(new ShardName("ab03.0"), big);
    proxy.stallAfter(256 * 1024);
    assertFailsWithin(BOUND, PartnerUnreachableException.class, () -> s.get(new ShardName("ab03.0")));
    PartnerUnreachableException e = assertFailsWithin(BOUND, PartnerUnreachableException.class,
        () -> s.stat(new ShardName("ab03.0")));
    // said in plain words, whether the stall hit a new handshake, the channel opening or the reply
    assertTrue(e.getMessage().contains("no progress within") || e.getMessage().contains("did not complete the SSH "
        + "handshake within"), e.getMessage());
    assertFalse(e.getMessage().contains("Future") || e.getMessage().contains("specified timeout"), e.getMessage());
    proxy.stallAfter(Long.MAX_VALUE); // the partner is back: a new session is opened
    assertArrayEquals(big, s.get(new ShardName("ab03.0")));
  }

  @ParameterizedTest
  @EnumSource(DataPath.class)
  void putPastQuota_isQuotaExceeded_storeFull_andLeavesNothing(DataPath path) throws Exception {
    List<org.selfstorage.federation.HostedRefusal> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    agents.server.whenRefused(refused::add);
    ShardStore s = store(path);
    s.put(new ShardName("ab01.0"), data(3 << 20));
    assertEquals(List.of(), refused);
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> s.put(new ShardName("ab02.0"), data(2 << 20)));
    assertEquals("STORE_FULL", e.code());
    // the host's agent is told: who, and how full (the SFTP path is refused at the write past the quota)
    assertEquals(1, refused.size(), refused.toString());
    var quota = (org.selfstorage.federation.HostedRefusal.Quota) refused.get(0);
    assertEquals(alice.name(), quota.from());
    assertEquals(4L << 20, quota.quota());
    assertTrue(quota.used() >= 3 << 20 && quota.bytes() > 0, refused.toString());
    assertTrue(s.stat(new ShardName("ab02.0")).isEmpty());
    try (Stream<Path> in = Files.list(alice.root().resolve("incoming"))) {
      assertEquals(0, in.count());
    }
    s.put(new ShardName("ab02.0"), data(1 << 20)); // what fits still goes
  }

  /** A quota changed by the host applies to the open session at once (no new login reads it). */
  @ParameterizedTest
  @EnumSource(DataPath.class)
  void quotaChanged_appliesToTheOpenSession(DataPath path) throws Exception {
    ShardStore s = store(path);
    s.put(new ShardName("ab01.0"), data(3 << 20));
    agents.server.quotaChanged(new HostedPartner(alice.name(), alice.root(), 2L << 20));
    QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> s.put(new ShardName("ab02.0"), data(100)));
    assertEquals("STORE_FULL", e.code());
    assertArrayEquals(data(3 << 20), s.get(new ShardName("ab01.0")), "a lower quota deletes nothing");
    agents.server.quotaChanged(new HostedPartner(alice.name(), alice.root(), 8L << 20));
    s.put(new ShardName("ab02.0"), data(2 << 20)); // 5 MiB in all: past the quota of the login (4 MiB)
    assertEquals(1, ((SshAgentServer) agents.server).sessionCount(), "one session all along");
  }

  @Test
  void operations_reuseOneSession() throws Exception {
    ShardStore s = store(DataPath.SHARD_CHANNEL);
    for (int i = 0; i < 10; i++) {
      ShardName n = new ShardName("ab0" + i + ".0");
      s.put(n, data(100 + i));
      s.get(n);
      s.stat(n);
    }
    s.list("");
    assertEquals(1, ((SshAgentServer) agents.server).sessionCount());
  }

  /**
   * Under an upload limit, parallel uploads together keep to it, and the time they wait for it does
   * not count against the deadline (here a floor of 8 MB/s, which 3 MB at 1 MiB/s would break).
   */
  @ParameterizedTest
  @EnumSource(DataPath.class)
  void limitedUploads_keepToTheRate_withinTheirDeadlines(DataPath path) throws Exception {
    ShardStore s = store(TestAgents.clientSettings().withDataPath(path).withTimeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(1)).withMinBytesPerSecond(8_000_000), agents.server.port(),
        HostKeyFingerprint.of(TestAgents.HOST));
    s.put(new ShardName("ad00.0"), data(100)); // the session is open before the clock starts
    connections.limitUploads(1 << 20);
    double seconds = threeParallelPuts(s, "ad0");
    // 3,000,006 bytes at 1,048,576 B/s with a quarter second of burst: at least 2.6 s
    assertTrue(seconds >= 2.5, "3 MB went in " + seconds + " s at a limit of 1 MiB/s");
    connections.limitUploads(0);
    s.put(new ShardName("ad04.0"), data(900_000)); // within the 4 MiB quota of this test
    assertArrayEquals(data(900_000), s.get(new ShardName("ad04.0")));
  }

  /** Three 1 MB uploads in parallel to one partner, each checked byte-exact afterwards; returns their seconds. */
  private static double threeParallelPuts(ShardStore s, String prefix) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        int n = i;
        puts.add(threads.submit(() -> s.put(new ShardName(prefix + n + ".0"), data(1_000_000 + n))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (int i = 1; i <= 3; i++) {
      assertArrayEquals(data(1_000_000 + i), s.get(new ShardName(prefix + i + ".0")));
    }
    return seconds;
  }

  /** Restarts the host with a 256 KiB window (so its brake shows within a few MB) and a limit per partner. */
  private void hostLimitedTo(long bytesPerSecond) {
    agents.server.close();
    agents.start(TestAgents.serverSettings().withWindowBytes(256 << 10));
    agents.server.limitInbound(bytesPerSecond);
  }

  /**
   * {@code hosting.max-rate}: a partner that ignores the host's limit (none of its own) is slowed to
   * it, never refused, on both data paths: 3 MB at 1 MiB/s past three 256 KiB windows and a quarter
   * second of burst take at least 1.9 s (unlimited, well under a second), and arrive intact.
   */
  @ParameterizedTest
  @EnumSource(DataPath.class)
  void hostLimit_slowsAPartnerThatIgnoresIt(DataPath path) throws Exception {
    hostLimitedTo(1 << 20);
    ShardStore s = store(TestAgents.clientSettings().withDataPath(path).withTimeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(5)).withMinBytesPerSecond(200_000), agents.server.port(), HostKeyFingerprint.of(TestAgents.HOST));
    s.put(new ShardName("ae00.0"), data(100));
    double seconds = threeParallelPuts(s, "ae0");
    assertTrue(seconds >= 1.5, "3 MB went in " + seconds + " s to a host that takes 1 MiB/s from each partner");
    agents.server.limitInbound(0);
    long t0 = System.nanoTime();
    s.put(new ShardName("ae04.0"), data(900_000));
    assertTrue((System.nanoTime() - t0) / 1e9 < 1.5, "the limit lifted");
  }

  /**
   * A partner told the host's limit (at hello, in the agent) keeps to it itself, and its waits are
   * excused: within deadlines (a floor of 8 MB/s, 1 s without progress) that the host's brake alone
   * would break, three 1 MB uploads at 1 MiB/s succeed.
   */
  @ParameterizedTest
  @EnumSource(DataPath.class)
  void toldTheHostLimit_uploadsKeepToIt_withinTheirDeadlines(DataPath path) throws Exception {
    hostLimitedTo(1 << 20);
    ShardStore s = store(TestAgents.clientSettings().withDataPath(path).withTimeouts(Duration.ofSeconds(5),
        Duration.ofSeconds(1)).withMinBytesPerSecond(8_000_000), agents.server.port(),
        HostKeyFingerprint.of(TestAgents.HOST));
    s.put(new ShardName("af00.0"), data(100));
    connections.limitUploads("host", 1 << 20);
    double seconds = threeParallelPuts(s, "af0");
    assertTrue(seconds >= 2.5, "3 MB went in " + seconds + " s at the host's 1 MiB/s");
  }

  /** Both sides send their channel data in pooled packet arrays (PacketPool): many at once stay intact. */
  @ParameterizedTest
  @EnumSource(DataPath.class)
  void parallelTransfersBothWays_areByteExact(DataPath path) throws Exception {
    ShardStore s = store(path);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        puts.add(threads.submit(() -> s.put(new ShardName("ac0" + n + ".0"), data(500_000 + n))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
      if (path == DataPath.SHARD_CHANNEL) {
        assertTrue(((SshPartnerConnections) connections).packets().kept() > 0, "the uploads reused packet arrays");
      }
      for (int round = 0; round < 2; round++) {
        List<Future<byte[]>> gets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          ShardName n = new ShardName("ac0" + i + ".0");
          gets.add(threads.submit(() -> s.get(n)));
        }
        for (int i = 0; i < 6; i++) {
          assertArrayEquals(data(500_000 + i), gets.get(i).get(), "shard " + i);
        }
      }
      if (path == DataPath.SHARD_CHANNEL) {
        assertTrue(((SshAgentServer) agents.server).packets().kept() > 0, "the downloads reused packet arrays");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void serverRestart_nextOperationReconnects() throws Exception {
    ShardStore s = store(DataPath.SHARD_CHANNEL);
    s.put(new ShardName("ab01.0"), data(10));
    int port = agents.server.port();
    agents.server.close();
    assertThrows(FederationException.class, () -> s.get(new ShardName("ab01.0")));
    agents.server = Federation.startServer("127.0.0.1", port, TestAgents.HOST, agents::lookup, TestAgents.serverSettings());
    assertArrayEquals(data(10), s.get(new ShardName("ab01.0")));
  }

  @Test
  void listing_ignoresNamesOutsideTheAlphabet() throws Exception {
    ShardStore s = store(DataPath.SHARD_CHANNEL);
    s.put(new ShardName("ab01.0"), data(10));
    Files.writeString(alice.root().resolve("shards/ab/AB02.0"), "x");
    Files.writeString(alice.root().resolve("shards/ab/cd01.0"), "in the wrong fan");
    Files.createDirectories(alice.root().resolve("shards/ab/ab03.0"));
    assertEquals(List.of("ab01.0"), s.list("").stream().map(x -> x.name().value()).toList());
  }

  @Test
  void storeFailures_areFederationExceptions() {
    ShardStore s = store(DataPath.SHARD_CHANNEL);
    assertInstanceOf(FederationException.class, assertThrows(RuntimeException.class, () -> s.get(new ShardName("zz99.0"))));
  }
}
