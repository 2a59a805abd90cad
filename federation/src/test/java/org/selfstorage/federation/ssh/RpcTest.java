package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.ConnectionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.HostedRefusal;
import org.selfstorage.federation.HostKeyMismatchException;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.RpcCaller;
import org.selfstorage.federation.RpcClient;
import org.selfstorage.federation.RpcException;
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.StoreUnavailableException;
import org.selfstorage.federation.rpc.RpcProtocol;

/** The RPC subsystem end to end: a real server on 127.0.0.1, our client, and raw MINA channels. */
class RpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestAgents agents;
  private final List<RpcCaller> callers = new CopyOnWriteArrayList<>();
  private final List<String> methods = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeEach
  void setUp() {
    agents = new TestAgents(dir);
    agents.host(TestAgents.ALICE, "alice", 1 << 20);
    agents.rpc = (caller, method, params) -> {
      callers.add(caller);
      methods.add(method);
      switch (method) {
        case "echo", "pair": {
          ObjectNode r = JsonNodeFactory.instance.objectNode();
          r.set("got", params);
          r.put("partner", caller.partner().map(p -> p.name()).orElse(null));
          return r;
        }
        case "fail":
          throw new RpcException("INVITATION_USED", "this invitation was already used; ask for a new one");
        case "boom":
          throw new IllegalStateException("secret internals at /var/lib/selfstorage");
        case "hang":
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return JsonNodeFactory.instance.nullNode();
        default:
          throw new RpcException("UNKNOWN_METHOD", "no method " + method);
      }
    };
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    agents.close();
  }

  private void start(ServerSettings settings) {
    agents.start(settings);
  }

  private RpcClient rpc(Identity as, ClientSettings settings, HostKeyFingerprint pin) {
    PartnerConnections c = Federation.partnerConnections(as, settings);
    closeLater.add(c);
    return c.rpc("host", agents.address(), pin);
  }

  private RpcClient rpc(Identity as) {
    return rpc(as, TestAgents.clientSettings(), HostKeyFingerprint.of(TestAgents.HOST));
  }

  private static ObjectNode params() throws IOException {
    return (ObjectNode) JSON.readTree("{\"n\":42,\"s\":\"héllo\",\"list\":[1,2,{\"x\":null}]}");
  }

  @Test
  void partnerCall_roundTrip_withParamsAndResult_seesThePartner() throws Exception {
    start(TestAgents.serverSettings());
    RpcClient c = rpc(TestAgents.ALICE);
    JsonNode r = c.call("echo", params());
    assertEquals(params(), r.get("got"));
    assertEquals("alice", r.get("partner").textValue());
    // a second call reuses the session; no params means an empty object
    assertEquals(JsonNodeFactory.instance.objectNode(), c.call("echo", null).get("got"));
    RpcCaller caller = callers.get(0);
    assertTrue(caller.partner().isPresent());
    assertArrayEquals(Identity.publicKeyOf(TestAgents.ALICE.keyPair().getPublic()), caller.publicKey());
    assertEquals("127.0.0.1", caller.remote().getAddress().getHostAddress());
  }

  @Test
  void remoteErrors_arriveWithCodeAndMessage() {
    start(TestAgents.serverSettings());
    RpcClient c = rpc(TestAgents.ALICE);
    RpcException e = assertThrows(RpcException.class, () -> c.call("fail", null));
    assertEquals("INVITATION_USED", e.code());
    assertEquals("this invitation was already used; ask for a new one", e.getMessage());

    RpcException unknown = assertThrows(RpcException.class, () -> c.call("nosuch", null));
    assertEquals("UNKNOWN_METHOD", unknown.code());

    RpcException internal = assertThrows(RpcException.class, () -> c.call("boom", null));
    assertEquals("INTERNAL", internal.code());
    assertFalse(internal.getMessage().contains("secret") || internal.getMessage().contains("/var/lib"), internal.getMessage());
    // the session survived all three
    assertEquals("alice", c.call("echo", null).get("partner").textValue());
  }

  @Test
  void noHandler_answersUnknownMethod() {
    agents.rpc = org.selfstorage.federation.RpcHandler.NONE;
    start(TestAgents.serverSettings());
    RpcException e = assertThrows(RpcException.class, () -> rpc(TestAgents.ALICE).call("pair", null));
    assertEquals("UNKNOWN_METHOD", e.code());
  }

  /** Sends raw bytes on a fresh RPC channel, then end of file, and returns the server's reply frame. */
  private static JsonNode raw(ClientSession s, byte[] bytes) throws Exception {
    ChannelSubsystem ch = s.createSubsystemChannel(RpcProtocol.SUBSYSTEM);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ch.setOut(got);
    ch.setErr(OutputStream.nullOutputStream());
    ch.open().verify(Duration.ofSeconds(5));
    OutputStream o = ch.getInvertedIn();
    o.write(bytes);
    o.flush();
    o.close(); // end of file
    var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
    assertTrue(events.contains(ClientChannelEvent.CLOSED), "the server closes the channel after replying: " + events);
    ByteBuffer b = ByteBuffer.wrap(got.toByteArray());
    int len = b.getInt();
    assertEquals(len, b.remaining(), "one frame, nothing after it");
    byte[] json = new byte[len];
    b.get(json);
    return JSON.readTree(json);
  }

  private static byte[] framed(String json) {
    byte[] j = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + j.length).putInt(j.length).put(j).array();
  }

  private static void assertError(String code, JsonNode reply) {
    assertEquals(code, reply.path("error").path("code").asText(), reply.toString());
    assertTrue(reply.path("error").path("message").isTextual(), reply.toString());
  }

  @Test
  void malformedFrames_areAnsweredBadRequest_andNeverReachTheHandler() throws Exception {
    start(TestAgents.serverSettings());
    SshClient client = RawSsh.client();
    closeLater.add(client::stop);
    try (ClientSession s = RawSsh.login(client, agents.server.port(), TestAgents.ALICE)) {
      assertEquals(42, raw(s, framed("{\"method\":\"echo\",\"params\":{\"n\":42}}")).path("result").path("got").path("n").asInt());
      methods.clear();
      assertError("BAD_REQUEST", raw(s, framed("this is not json")));
      assertError("BAD_REQUEST", raw(s, "\u0007garbage".getBytes(StandardCharsets.ISO_8859_1)));
      assertError("BAD_REQUEST", raw(s, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
      assertError("BAD_REQUEST", raw(s, ByteBuffer.allocate(4).putInt(RpcProtocol.MAX_FRAME + 1).array()));
      byte[] truncated = ByteBuffer.allocate(14).putInt(100).put("{\"method\":".getBytes(StandardCharsets.UTF_8)).array();
      assertError("BAD_REQUEST", raw(s, truncated));
      assertError("BAD_REQUEST", raw(s, new byte[] {0, 0}));
      assertError("BAD_REQUEST", raw(s, new byte[0]));
      assertError("BAD_REQUEST", raw(s, framed("[1,2,3]")));
      assertError("BAD_REQUEST", raw(s, framed("{\"params\":{}}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":7}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":\"../etc\"}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":\"echo\",\"params\":[1]}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":\"echo\",\"params\":null}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":\"echo\",\"method\":\"fail\"}")));
      assertError("BAD_REQUEST", raw(s, framed("{\"method\":\"echo\"} {}")));
      assertError("BAD_REQUEST", raw(s, framed("[".repeat(100_000))));
      ByteArrayOutputStream bad = new ByteArrayOutputStream();
      bad.write("{\"method\":\"ec".getBytes(StandardCharsets.US_ASCII));
      bad.write(new byte[] {(byte) 0xc0, (byte) 0xae, '"', '}'});
      byte[] badUtf8 = ByteBuffer.allocate(4 + bad.size()).putInt(bad.size()).put(bad.toByteArray()).array();
      assertError("BAD_REQUEST", raw(s, badUtf8));
      assertEquals(List.of(), methods, "the handler was never called");
      assertTrue(s.isOpen());
    }
  }

  /**
   * A stranger's requests are short (pairing) and its session holds four channels at most (one more
   * ends it), so guests
   * cannot fill the agent's memory with half-sent frames; a partner's limit stays 1 MiB.
   */
  @Test
  void guest_framesAreShort_andItsChannelsFew() throws Exception {
    start(TestAgents.serverSettings());
    SshClient client = RawSsh.client();
    closeLater.add(client::stop);
    try (ClientSession partner = RawSsh.login(client, agents.server.port(), TestAgents.ALICE)) {
      String big = "{\"method\":\"echo\",\"params\":{\"s\":\"" + "x".repeat(RpcProtocol.MAX_GUEST_FRAME) + "\"}}";
      assertEquals(RpcProtocol.MAX_GUEST_FRAME, raw(partner, framed(big)).path("result").path("got").path("s").asText()
          .length(), "a partner's request may be longer");
    }
    try (ClientSession s = RawSsh.login(client, agents.server.port(), TestAgents.STRANGER)) {
      JsonNode tooLong = raw(s, ByteBuffer.allocate(4).putInt(RpcProtocol.MAX_GUEST_FRAME + 1).array());
      assertError("BAD_REQUEST", tooLong);
      assertTrue(tooLong.path("error").path("message").asText().contains(String.valueOf(RpcProtocol.MAX_GUEST_FRAME)),
          tooLong::toString);
      assertEquals(1, raw(s, framed("{\"method\":\"pair\",\"params\":{\"n\":1}}")).path("result").path("got")
          .path("n").asInt());
      List<ChannelSubsystem> open = new ArrayList<>();
      for (int i = 0; i < PartnerAuthenticator.GUEST_CHANNELS; i++) {
        ChannelSubsystem ch = s.createSubsystemChannel(RpcProtocol.SUBSYSTEM);
        ch.open().verify(Duration.ofSeconds(5));
        open.add(ch);
      }
      assertTrue(s.isOpen(), "as many channels as a guest may hold");
      try {
        s.createSubsystemChannel(RpcProtocol.SUBSYSTEM).open().verify(Duration.ofSeconds(5));
      } catch (IOException | RuntimeException expected) {
        // refused
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (s.isOpen() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertFalse(s.isOpen(), "one channel more ends the guest's session (as MINA does past its limit)");
    }
  }

  @Test
  void guest_mayPairOnly() throws Exception {
    start(TestAgents.serverSettings());
    RpcClient c = rpc(TestAgents.STRANGER);
    JsonNode r = c.call("pair", params());
    assertEquals(params(), r.get("got"));
    assertTrue(r.get("partner").isNull());
    RpcCaller caller = callers.get(0);
    assertTrue(caller.partner().isEmpty());
    assertTrue(caller.isGuest());
    assertArrayEquals(Identity.publicKeyOf(TestAgents.STRANGER.keyPair().getPublic()), caller.publicKey());

    for (String m : List.of("echo", "fail", "boom", "Pair", "pair.x")) {
      RpcException e = assertThrows(RpcException.class, () -> c.call(m, null), m);
      assertEquals("NOT_PAIRED", e.code(), m);
    }
    assertEquals(List.of("pair"), methods, "the handler saw only pair");
  }

  @Test
  void guest_isRefusedSftpAndShardChannel_andAShardStore() throws Exception {
    start(TestAgents.serverSettings());
    SshClient client = RawSsh.client();
    closeLater.add(client::stop);
    try (ClientSession s = RawSsh.login(client, agents.server.port(), TestAgents.STRANGER)) {
      assertTrue(s.isAuthenticated(), "a key with no agreement logs in as a guest");
      for (String sub : List.of("sftp", "selfstorage-shards@selfstorage")) {
        GuardedSubsystem ch = new GuardedSubsystem(sub);
        s.getService(ConnectionService.class).registerChannel(ch);
        ch.open().verify(Duration.ofSeconds(5));
        var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
        assertTrue(events.contains(ClientChannelEvent.CLOSED), sub);
        assertTrue(ch.refused(), sub + " answered with a failure reply");
      }
      assertEquals("pair", raw(s, framed("{\"method\":\"pair\"}")).path("result").path("got").isObject() ? "pair" : "?");
      assertTrue(s.isOpen());
    }
    try (PartnerConnections pc = Federation.partnerConnections(TestAgents.STRANGER, TestAgents.clientSettings())) {
      var store = pc.shardStore("host", agents.address(), HostKeyFingerprint.of(TestAgents.HOST));
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.list(""));
      assertEquals("STORE_UNAVAILABLE", e.code());
      StoreUnavailableException e2 = assertThrows(StoreUnavailableException.class,
          () -> store.put(new org.selfstorage.federation.ShardName("ab01.0"), new byte[10]));
      assertEquals("STORE_UNAVAILABLE", e2.code());
    }
    assertFalse(java.nio.file.Files.exists(dir.resolve("hosted")), "nothing reached the disk");
  }

  @Test
  void guestLogins_areRateLimitedPerAddress_andOneSessionPerKey() throws Exception {
    start(TestAgents.serverSettings().withPairingAttemptsPerMinute(3));
    List<HostedRefusal> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    agents.server.whenRefused(told::add);
    SshClient client = RawSsh.client();
    closeLater.add(client::stop);
    int port = agents.server.port();
    ClientSession first = RawSsh.login(client, port, TestAgents.identity(30));
    try {
      // the same key again while its session is open: refused, and no admission used
      assertThrows(IOException.class, () -> RawSsh.login(client, port, TestAgents.identity(30)));
      assertTrue(told.contains(new HostedRefusal.Strangers("127.0.0.1", "a key with no agreement may hold one "
          + "session")), told::toString);
      for (int i = 31; i < 33; i++) {
        RawSsh.login(client, port, TestAgents.identity(i)).close();
      }
      assertThrows(IOException.class, () -> RawSsh.login(client, port, TestAgents.identity(33)), "the 4th guest login within a minute");
      assertTrue(told.stream().anyMatch(r -> r instanceof HostedRefusal.Strangers x && x.from().equals("127.0.0.1")
          && x.why().startsWith("more than 3 logins a minute from one address")), told::toString);
      int before = told.size();
      // partners are not affected
      try (ClientSession s = RawSsh.login(client, port, TestAgents.ALICE)) {
        assertTrue(s.isAuthenticated());
      }
      assertEquals(before, told.size(), "a partner's login is not a refusal");
    } finally {
      first.close();
    }
    // a closed guest session frees its key, but not the address's admissions
    assertThrows(IOException.class, () -> RawSsh.login(client, port, TestAgents.identity(30)));
  }

  @Test
  void handlerThatNeverAnswers_failsWithinTheStallDeadline_andTheNextCallWorks() {
    start(TestAgents.serverSettings());
    ClientSettings fast = TestAgents.clientSettings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
    RpcClient c = rpc(TestAgents.ALICE, fast, HostKeyFingerprint.of(TestAgents.HOST));
    c.call("echo", null);
    long t0 = System.nanoTime();
    PartnerUnreachableException e = assertThrows(PartnerUnreachableException.class, () -> c.call("hang", null));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("PARTNER_UNREACHABLE", e.code());
    assertTrue(ms >= 900 && ms < 5_000, "failed after " + ms + " ms");
    release.countDown();
    assertEquals("alice", c.call("echo", null).get("partner").textValue());
  }

  /**
   * Each partner's calls are answered in its own lane (4 at once): with four of alice's calls stuck
   * in the handler (as a caller that never reads its answers holds them), bob is answered at once.
   * A shared pool of four threads made him wait behind her until his deadline.
   */
  @Test
  void stuckCallsOfOnePartner_doNotHoldUpAnother() throws Exception {
    agents.host(TestAgents.BOB, "bob", 1 << 20);
    start(TestAgents.serverSettings());
    ClientSettings fast = TestAgents.clientSettings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
    RpcClient alice = rpc(TestAgents.ALICE, fast, HostKeyFingerprint.of(TestAgents.HOST));
    alice.call("echo", null);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        threads.submit(() -> {
          try {
            alice.call("hang", null);
          } catch (RuntimeException expected) {
            // her deadline passes; the handler still holds its thread
          }
        });
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (methods.stream().filter("hang"::equals).count() < 4 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(4, methods.stream().filter("hang"::equals).count(), "alice's four calls are in the handler");
      RpcClient bob = rpc(TestAgents.BOB, fast, HostKeyFingerprint.of(TestAgents.HOST));
      assertEquals("bob", bob.call("echo", null).get("partner").textValue());
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void wrongHostKey_isRefused_andNothingIsCalled() {
    start(TestAgents.serverSettings());
    HostKeyFingerprint wrong = HostKeyFingerprint.of(TestAgents.BOB);
    RpcClient c = rpc(TestAgents.ALICE, TestAgents.clientSettings(), wrong);
    HostKeyMismatchException e = assertThrows(HostKeyMismatchException.class, () -> c.call("echo", null));
    assertEquals(TestAgents.HOST.fingerprint(), e.presented());
    assertEquals(List.of(), methods);
  }

  @Test
  void loginRefused_isStoreUnavailable() {
    start(TestAgents.serverSettings().withPairingAttemptsPerMinute(0));
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> rpc(TestAgents.STRANGER).call("pair", null));
    assertEquals("STORE_UNAVAILABLE", e.code());
    assertEquals(List.of(), methods);
  }
}
