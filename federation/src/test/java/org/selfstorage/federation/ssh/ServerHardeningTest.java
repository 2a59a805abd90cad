package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSessionImpl;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.impl.DefaultSftpClient;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.HostedRefusal;
import org.selfstorage.federation.ServerSettings;
import org.apache.sshd.client.ClientBuilder;

/** reliability.md §4.4: each line of the MINA hardening checklist, against a real server. */
class ServerHardeningTest {
  @TempDir Path dir;
  private TestAgents agents;
  private SshClient client;
  private HostedPartner alice;

  @BeforeEach
  void setUp() {
    agents = new TestAgents(dir);
    alice = agents.host(TestAgents.ALICE, "alice", 1 << 20);
    agents.host(TestAgents.BOB, "bob", 1 << 20);
    client = RawSsh.client();
  }

  @AfterEach
  void tearDown() {
    client.stop();
    agents.close();
  }

  private int start(ServerSettings settings) {
    agents.start(settings);
    return agents.server.port();
  }

  private int start() {
    return start(TestAgents.serverSettings());
  }

  @Test
  void login_withAgreedKey_succeeds_unknownKey_isOnlyAGuest_otherKeyTypesFail() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      assertTrue(s.isAuthenticated());
    }
    try (ClientSession s = RawSsh.login(client, port, TestAgents.STRANGER)) {
      assertGuestOnly(s);
    }
    assertThrows(IOException.class, () -> RawSsh.login(client, port, ecKey()));
    assertThrows(IOException.class, () -> RawSsh.login(client, port, rsaKey()));
  }

  /** A guest: the RPC subsystem only; no hosted files, no shard channel, nothing to run. */
  private static void assertGuestOnly(ClientSession s) throws Exception {
    assertTrue(s.isAuthenticated());
    assertEquals("failure", request(s, "subsystem", b -> b.putString("sftp")));
    assertEquals("failure", request(s, "subsystem", b -> b.putString("selfstorage-shards@selfstorage")));
    assertEquals("failure", request(s, "exec", b -> b.putString("id")));
    assertEquals("failure", request(s, "shell", b -> { }));
    assertThrows(IOException.class, () -> SftpClientFactory.instance().createSftpClient(s).close());
    assertEquals("success", request(s, "subsystem", b -> b.putString("selfstorage-rpc@selfstorage")));
  }

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  static KeyPair rsaKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  @Test
  void login_withAgreementRemoved_isOnlyAGuest() throws Exception {
    int port = start();
    agents.agreements.remove(TestAgents.ALICE.fingerprint());
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      assertGuestOnly(s);
    }
  }

  @Test
  void guestSession_idleTimeout_isAtMost30Seconds() throws Exception {
    int port = start();
    try (ClientSession guest = RawSsh.login(client, port, TestAgents.STRANGER);
        ClientSession partner = RawSsh.login(client, port, TestAgents.ALICE)) {
      List<Duration> idle = new ArrayList<>();
      for (var session : ((SshAgentServer) agents.server).activeSessions()) {
        idle.add(CoreModuleProperties.IDLE_TIMEOUT.getRequired(session));
      }
      idle.sort(null);
      assertEquals(List.of(Duration.ofSeconds(30), Duration.ofMinutes(5)), idle);
    }
  }

  @Test
  void passwordAndKeyboardInteractive_areNotOffered() throws Exception {
    int port = start();
    SshClient pw = RawSsh.client();
    pw.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE, UserAuthKeyboardInteractiveFactory.INSTANCE));
    try (ClientSession s = RawSsh.connect(pw, port)) {
      s.addPasswordIdentity("alice");
      assertThrows(IOException.class, () -> s.auth().verify(Duration.ofSeconds(5)));
      assertFalse(s.isAuthenticated());
    } finally {
      pw.stop();
    }
  }

  @Test
  void authAttempts_beyondThree_disconnect() throws Exception {
    int port = start();
    // wrong keys are keys that never log in (an unknown Ed25519 key would log in as a guest)
    KeyPair[] wrong = {ecKey(), ecKey(), ecKey()};
    KeyPair alice = TestAgents.ALICE.keyPair();
    // one wrong key, then the right one: fine
    try (ClientSession s = RawSsh.login(client, port, wrong[0], alice)) {
      assertTrue(s.isAuthenticated());
      assertEquals("success", request(s, "subsystem", b -> b.putString("sftp")), "logged in as the partner");
    }
    // three wrong keys use up the attempts before the right one is tried
    assertThrows(IOException.class, () -> RawSsh.login(client, port, wrong[0], wrong[1], wrong[2], alice));
  }

  @Test
  void exec_and_shell_areRefused() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      assertThrows(Exception.class, () -> s.executeRemoteCommand("id", Duration.ofSeconds(5)));
      assertEquals("failure", request(s, "exec", b -> b.putString("cat /etc/passwd")));
      assertEquals("failure", request(s, "shell", b -> { }));
      assertEquals("failure", request(s, "pty-req", b -> {
        b.putString("xterm");
        b.putUInt(80);
        b.putUInt(24);
        b.putUInt(0);
        b.putUInt(0);
        b.putBytes(new byte[] {0});
      }));
      assertTrue(s.isOpen());
    }
  }

  @Test
  void onlyThreeSubsystems_areServed() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      assertEquals("success", request(s, "subsystem", b -> b.putString("sftp")));
      assertEquals("success", request(s, "subsystem", b -> b.putString("selfstorage-shards@selfstorage")));
      assertEquals("success", request(s, "subsystem", b -> b.putString("selfstorage-rpc@selfstorage")));
      for (String name : List.of("netconf", "selfstorage-rpc", "SELFSTORAGE-RPC@selfstorage", "selfstorage-rpc@selfstorage ",
          "SFTP", "sftp ", "../sftp", "")) {
        assertEquals("failure", request(s, "subsystem", b -> b.putString(name)), name);
      }
      assertTrue(s.isOpen());
    }
  }

  /** A bare session channel that records the replies to its channel requests. */
  static final class RecordingSession extends org.apache.sshd.client.channel.ChannelSession {
    final List<String> replies = new CopyOnWriteArrayList<>();

    @Override
    public void handleSuccess() {
      replies.add("success");
    }

    @Override
    public void handleFailure() {
      replies.add("failure");
    }
  }

  /** Opens a fresh session channel, sends one request with want-reply, and returns the answer. */
  private static String request(ClientSession s, String type, java.util.function.Consumer<Buffer> body)
      throws Exception {
    RecordingSession ch = new RecordingSession();
    s.getService(ConnectionService.class).registerChannel(ch);
    ch.open().verify(Duration.ofSeconds(5));
    try {
      Buffer b = s.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 128);
      b.putUInt(ch.getRecipient());
      b.putString(type);
      b.putBoolean(true);
      body.accept(b);
      s.writePacket(b);
      long end = System.nanoTime() + 5_000_000_000L;
      while (ch.replies.isEmpty() && !ch.isClosed() && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      return ch.replies.isEmpty() ? (ch.isClosed() ? "closed" : "no reply") : ch.replies.get(0);
    } finally {
      // closed both ways before the next: a guest session may hold only a few channels at once
      ch.close(false).await(Duration.ofSeconds(5));
    }
  }

  @Test
  void portForwarding_bothDirections_isRefused() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      var direct = s.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", port));
      assertThrows(IOException.class, () -> direct.open().verify(Duration.ofSeconds(5)));
      assertThrows(IOException.class, () -> s.startRemotePortForwarding(
          new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", port)));
    }
  }

  /** A subsystem channel that records the replies to channel requests. */
  static final class RecordingChannel extends ChannelSubsystem {
    final List<String> replies = new CopyOnWriteArrayList<>();

    RecordingChannel() {
      super("sftp");
    }

    @Override
    public void handleSuccess() throws IOException {
      replies.add("success");
      super.handleSuccess();
    }

    @Override
    public void handleFailure() throws IOException {
      replies.add("failure");
    }
  }

  @Test
  void agentAndX11Forwarding_areRefused() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      RecordingChannel ch = new RecordingChannel();
      s.getService(ConnectionService.class).registerChannel(ch);
      ch.open().verify(Duration.ofSeconds(5));
      waitForReplies(ch, 1); // the subsystem request itself
      ch.replies.clear();
      sendRequest(s, ch, "auth-agent-req@openssh.com", b -> { });
      sendRequest(s, ch, "x11-req", b -> {
        b.putBoolean(false);
        b.putString("MIT-MAGIC-COOKIE-1");
        b.putString("00");
        b.putUInt(0);
      });
      waitForReplies(ch, 2);
      assertEquals(List.of("failure", "failure"), ch.replies);
    }
  }

  private static void sendRequest(ClientSession s, ChannelSubsystem ch, String type,
      java.util.function.Consumer<Buffer> body) throws IOException {
    Buffer b = s.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 128);
    b.putUInt(ch.getRecipient());
    b.putString(type);
    b.putBoolean(true);
    body.accept(b);
    s.writePacket(b);
  }

  private static void waitForReplies(RecordingChannel ch, int n) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (ch.replies.size() < n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(n, ch.replies.size(), "replies: " + ch.replies);
  }

  @Test
  void kexInit_advertisesOnlyTheAllowList() throws Exception {
    int port = start();
    List<List<String>> k = RawSsh.serverKexInit(port);
    List<String> kex = k.get(0);
    assertTrue(kex.contains("curve25519-sha256"), kex.toString());
    assertTrue(kex.contains("kex-strict-s-v00@openssh.com"), kex.toString());
    assertTrue(kex.stream().noneMatch(a -> a.startsWith("diffie-hellman") || a.startsWith("ecdh-sha2")), kex.toString());
    assertEquals(List.of("ssh-ed25519"), k.get(1));
    for (int i = 2; i <= 3; i++) {
      assertEquals("aes128-gcm@openssh.com", k.get(i).get(0));
      assertTrue(k.get(i).stream().allMatch(c -> c.contains("-gcm@") || c.startsWith("chacha20-poly1305")), k.get(i).toString());
    }
    for (int i = 4; i <= 5; i++) {
      assertTrue(k.get(i).stream().allMatch(m -> m.startsWith("hmac-sha2-") && m.endsWith("-etm@openssh.com")), k.get(i).toString());
    }
    assertEquals(List.of("none"), k.get(6));
    assertEquals(List.of("none"), k.get(7));
  }

  @Test
  void ourClient_negotiatesAesGcm_andStrictKex() throws Exception {
    int port = start();
    SshClient ours = SshClient.setUpDefaultClient();
    SshAlgorithms.apply(ours, ClientBuilder.DH2KEX);
    ours.setServerKeyVerifier(new org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier(TestAgents.HOST.keyPair().getPublic()));
    ours.setHostConfigEntryResolver(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY);
    ours.start();
    try (ClientSession s = RawSsh.login(ours, port, TestAgents.ALICE)) {
      assertEquals("aes128-gcm@openssh.com", s.getNegotiatedKexParameter(KexProposalOption.C2SENC));
      assertEquals("aes128-gcm@openssh.com", s.getNegotiatedKexParameter(KexProposalOption.S2CENC));
      assertEquals("ssh-ed25519", s.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS));
      assertTrue(s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS).contains("25519"));
      assertTrue(((ClientSessionImpl) s).getServerKexProposals().get(KexProposalOption.ALGORITHMS).contains("kex-strict-s-v00@openssh.com"));
    } finally {
      ours.stop();
    }
  }

  @Test
  void authTimeout_closesSilentConnection() throws Exception {
    int port = start(TestAgents.serverSettings().withAuthTimeout(Duration.ofSeconds(1)));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write("SSH-2.0-silent\r\n".getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        while (in.read(buf) >= 0) {
          // drain the server's identification and KEXINIT, then wait for it to hang up
        }
      } catch (java.net.SocketException reset) {
        // a reset is a hang-up too
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 8_000, "closed after " + ms + " ms");
    }
  }

  /** J3: a 16 KiB identification line (no end of line) is cut off at 1 KiB, long before the auth timeout. */
  @Test
  void overlongIdentificationLine_isRefused() throws Exception {
    int port = start(TestAgents.serverSettings().withAuthTimeout(Duration.ofSeconds(30)));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      long t0 = System.nanoTime();
      try {
        byte[] line = new byte[16 * 1024];
        java.util.Arrays.fill(line, (byte) 'A');
        s.getOutputStream().write(line);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
          // the server's own identification, then the hang-up
        }
      } catch (java.net.SocketException reset) {
        // a reset (or a refused write) is a hang-up too
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 10_000, "closed after " + ms + " ms, not at the 30 s auth timeout");
    }
  }

  @Test
  void idleTimeout_closesIdleSession() throws Exception {
    int port = start(TestAgents.serverSettings().withIdleTimeout(Duration.ofSeconds(1)));
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      var events = s.waitFor(EnumSet.of(org.apache.sshd.client.session.ClientSession.ClientSessionEvent.CLOSED), Duration.ofSeconds(10));
      assertTrue(events.contains(org.apache.sshd.client.session.ClientSession.ClientSessionEvent.CLOSED), events.toString());
    }
  }

  /**
   * J3: connections that have not logged in are capped (OpenSSH's MaxStartups): one over the cap is
   * closed at once without a word, a partner already logged in goes on, and the cap frees as the
   * silent connections go.
   */
  @Test
  void connectionsNotLoggedIn_areCapped_loggedInSessionsGoOn() throws Exception {
    int port = start(TestAgents.serverSettings().withMaxPendingLogins(5).withAuthTimeout(Duration.ofSeconds(60)));
    SshAgentServer server = (SshAgentServer) agents.server;
    ClientSession alice = RawSsh.login(client, port, TestAgents.ALICE);
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        silent.add(new Socket("127.0.0.1", port));
      }
      awaitPending(server, 5);
      try (Socket over = new Socket("127.0.0.1", port)) {
        over.setSoTimeout(10_000);
        long t0 = System.nanoTime();
        byte[] got = readUntilClosed(over.getInputStream());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, got.length, "refused before the server says anything: " + new String(got, StandardCharsets.US_ASCII));
        assertTrue(ms < 5_000, "closed after " + ms + " ms");
      }
      SftpClientFactory.instance().createSftpClient(alice).close(); // the partner logged in before goes on
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    awaitPending(server, 0);
    RawSsh.login(client, port, TestAgents.BOB).close();
    alice.close();
  }

  private static void awaitPending(SshAgentServer server, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.pendingLogins() != n) {
      assertTrue(System.nanoTime() < deadline, "pending logins " + server.pendingLogins() + ", expected " + n);
      Thread.sleep(20); // polling the server's count, bounded by the deadline
    }
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a reset is a hang-up too
    }
    return got.toByteArray();
  }

  @Test
  void sessionsPerPartner_areCapped_otherPartnersUnaffected() throws Exception {
    int port = start(TestAgents.serverSettings().withMaxSessionsPerPartner(2));
    List<HostedRefusal> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    agents.server.whenRefused(told::add);
    List<ClientSession> open = new ArrayList<>();
    try {
      open.add(RawSsh.login(client, port, TestAgents.ALICE));
      open.add(RawSsh.login(client, port, TestAgents.ALICE));
      assertThrows(IOException.class, () -> {
        ClientSession third = RawSsh.login(client, port, TestAgents.ALICE);
        open.add(third);
        SftpClientFactory.instance().createSftpClient(third).close();
      });
      assertTrue(told.contains(new HostedRefusal.Sessions("alice", 2)), "the host's owner is told: " + told);
      open.add(RawSsh.login(client, port, TestAgents.BOB));
      assertTrue(told.stream().allMatch(r -> r.from().equals("alice")), "bob was not refused: " + told);
      open.remove(0).close();
      long end = System.nanoTime() + 5_000_000_000L;
      ClientSession again = null;
      while (again == null) {
        try {
          again = RawSsh.login(client, port, TestAgents.ALICE);
        } catch (IOException e) {
          if (System.nanoTime() > end) {
            throw e;
          }
          Thread.sleep(50);
        }
      }
      open.add(again);
    } finally {
      for (ClientSession s : open) {
        s.close(true);
      }
    }
  }

  @Test
  void openSftpHandles_areCapped() throws Exception {
    int port = start(TestAgents.serverSettings().withMaxOpenHandles(4));
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE);
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
      List<SftpClient.CloseableHandle> handles = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        handles.add(sftp.openDir("/"));
      }
      assertThrows(SftpException.class, () -> sftp.openDir("/shards"));
      handles.get(0).close();
      sftp.openDir("/shards").close();
    }
  }

  @Test
  void channelWindowAndPacket_areTuned() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE);
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
      var ch = ((DefaultSftpClient) sftp).getClientChannel();
      assertEquals(128 * 1024, ch.getRemoteWindow().getPacketSize());
      assertTrue(ch.getRemoteWindow().getSize() > 15L * 1024 * 1024, "window " + ch.getRemoteWindow().getSize());
    }
  }

  @Test
  void revokedPartner_isDisconnected() throws Exception {
    int port = start();
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      agents.agreements.remove(TestAgents.ALICE.fingerprint());
      agents.server.disconnect(alice);
      var events = s.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.CLOSED), Duration.ofSeconds(5));
      assertTrue(events.contains(ClientSession.ClientSessionEvent.CLOSED));
    }
    // the key may come back only as a guest: no hosted files
    try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
      assertGuestOnly(s);
    }
  }

  /** A GET request on the shard channel, as SshShardStore sends it. */
  private static byte[] getRequest(String shard) {
    byte[] n = shard.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[4 + n.length];
    b[0] = (byte) org.selfstorage.federation.hosted.ShardChannelProtocol.VERSION;
    b[1] = (byte) org.selfstorage.federation.hosted.ShardChannelProtocol.OP_GET;
    b[2] = (byte) (n.length >> 8);
    b[3] = (byte) n.length;
    System.arraycopy(n, 0, b, 4, n.length);
    return b;
  }

  /** Server threads sending a shard out (here: waiting for a window that stays shut). */
  private static long threadsSendingShards() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith("selfstorage-shard-channel-"))
        .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("sendShard")))
        .count();
  }

  /**
   * A partner that asks for shards and never reads them (its window stays shut) holds only its own
   * share of the server's workers (16 threads): with 64 such downloads open (two sessions of 32
   * channels), another partner's upload and download still go through within their deadlines.
   */
  @Test
  void stuckDownloadsOfOnePartner_doNotStarveAnother() throws Exception {
    int port = start();
    byte[] body = new byte[600_000];
    new java.util.Random(7).nextBytes(body);
    org.selfstorage.federation.ShardStore own = agents.store(TestAgents.ALICE, TestAgents.clientSettings());
    own.put(new org.selfstorage.federation.ShardName("aa01.0"), body);
    CoreModuleProperties.WINDOW_SIZE.set(client, 32L * 1024);
    List<ClientSession> hostile = new ArrayList<>();
    try {
      for (int s = 0; s < 2; s++) {
        ClientSession session = RawSsh.login(client, port, TestAgents.ALICE);
        hostile.add(session);
        for (int i = 0; i < 32; i++) {
          ChannelSubsystem ch = session.createSubsystemChannel(org.selfstorage.federation.hosted.ShardChannelProtocol.SUBSYSTEM);
          ch.open().verify(Duration.ofSeconds(5));
          ch.getInvertedIn().write(getRequest("aa01.0"));
          ch.getInvertedIn().flush();
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (threadsSendingShards() < 16 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(16, threadsSendingShards(), "its share of the workers, no more; the other downloads wait in its lane");

      try (org.selfstorage.federation.PartnerConnections c = org.selfstorage.federation.Federation.partnerConnections(
          TestAgents.BOB, TestAgents.clientSettings())) {
        org.selfstorage.federation.ShardStore bob = c.shardStore("host", agents.address(),
            org.selfstorage.federation.HostKeyFingerprint.of(TestAgents.HOST));
        byte[] mine = new byte[300_000];
        new java.util.Random(8).nextBytes(mine);
        bob.put(new org.selfstorage.federation.ShardName("bb01.0"), mine);
        org.junit.jupiter.api.Assertions.assertArrayEquals(mine, bob.get(new org.selfstorage.federation.ShardName("bb01.0")));
      }
      deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (threadsSendingShards() != 16 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // bob's download thread may still be closing its channel
      }
      assertEquals(16, threadsSendingShards(), "alice still holds her share, no more");
    } finally {
      for (ClientSession session : hostile) {
        session.close(true);
      }
    }
  }
}
