package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.HostedRefusal;

/**
 * The hosted directory as a hostile partner sees it over raw SFTP: the layout, the quota, the atomic
 * publish, and the path-traversal corpus of reliability.md §7.3 with a second partner present.
 */
class HostedSftpTest {
  private static final String TEMP = "/incoming/ab01.0.part-0123456789abcdef";

  @TempDir Path dir;
  private TestAgents agents;
  private SshClient client;
  private HostedPartner alice;
  private HostedPartner bob;
  private final List<ClientSession> sessions = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    agents = new TestAgents(dir);
    alice = agents.host(TestAgents.ALICE, "alice", 100_000);
    bob = agents.host(TestAgents.BOB, "bob", 100_000);
    Files.createDirectories(bob.root().resolve("shards/bb"));
    Files.createDirectories(bob.root().resolve("incoming"));
    Files.writeString(bob.root().resolve("shards/bb/bb01.0"), "bob's shard");
    Files.createDirectories(dir.resolve("outside"));
    Files.writeString(dir.resolve("outside/secret.txt"), "host secret");
    agents.start();
    client = RawSsh.client();
  }

  @AfterEach
  void tearDown() {
    sessions.forEach(s -> s.close(true));
    client.stop();
    agents.close();
  }

  private SftpClient sftp() throws IOException {
    ClientSession s = RawSsh.login(client, agents.server.port(), TestAgents.ALICE);
    sessions.add(s);
    return SftpClientFactory.instance().createSftpClient(s);
  }

  private static void write(SftpClient sftp, String path, long offset, byte[] data) throws IOException {
    try (SftpClient.CloseableHandle h = sftp.open(path, OpenMode.Write, OpenMode.Create)) {
      sftp.write(h, offset, data);
    }
  }

  private long incomingCount() throws IOException {
    try (Stream<Path> s = Files.list(alice.root().resolve("incoming"))) {
      return s.count();
    }
  }

  @Test
  void partnerSeesItsRootAsSlash_withTheLayout() throws Exception {
    SftpClient sftp = sftp();
    assertEquals("/", sftp.canonicalPath("."));
    List<String> names = new ArrayList<>();
    sftp.readDir("/").forEach(e -> names.add(e.getFilename()));
    assertTrue(names.containsAll(List.of("shards", "incoming")), names.toString());
    assertTrue(Files.isDirectory(alice.root().resolve("shards")));
  }

  @Test
  void writeThenRename_publishesAtomically_andServerReplacesOldCopy() throws Exception {
    SftpClient sftp = sftp();
    write(sftp, TEMP, 0, "first".getBytes(StandardCharsets.UTF_8));
    assertTrue(Files.notExists(alice.root().resolve("shards/ab/ab01.0")), "nothing under the shard name before the rename");
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    assertEquals("first", Files.readString(alice.root().resolve("shards/ab/ab01.0")));
    write(sftp, TEMP, 0, "second".getBytes(StandardCharsets.UTF_8));
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    assertEquals("second", Files.readString(alice.root().resolve("shards/ab/ab01.0")));
    assertEquals(0, incomingCount());
  }

  @Test
  void filesChangedOnTheHostByHand_areCountedAgain_onlyWhileNoWriteIsPending() throws Exception {
    SftpClient sftp = sftp();
    write(sftp, TEMP, 0, new byte[60_000]);
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    SftpClient.CloseableHandle h = sftp.open(TEMP, OpenMode.Write, OpenMode.Create);
    assertThrows(SftpException.class, () -> sftp.write(h, 0, new byte[50_000]), "60,000 + 50,000 > 100,000");
    h.close();
    assertEquals(List.of(), agents.server.recountUsage(), "the count matches the disk");

    Files.delete(alice.root().resolve("shards/ab/ab01.0")); // the host's owner cleans up by hand
    String temp2 = "/incoming/ab02.0.part-0123456789abcdef";
    SftpClient.CloseableHandle open = sftp.open(temp2, OpenMode.Write, OpenMode.Create);
    sftp.write(open, 0, new byte[1_000]);
    assertEquals(List.of(), agents.server.recountUsage(), "not while a write is pending");
    open.close();
    sftp.rename(temp2, "/shards/ab/ab02.0");

    List<org.selfstorage.federation.UsageCorrection> fixed = agents.server.recountUsage();
    assertEquals(List.of(new org.selfstorage.federation.UsageCorrection(alice.root(), 61_000, 1_000)), fixed);
    assertEquals(List.of(), agents.server.recountUsage(), "once");
    write(sftp, TEMP, 0, new byte[90_000]); // fits now: 1,000 + 90,000
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    SftpClient.CloseableHandle past = sftp.open(TEMP, OpenMode.Write, OpenMode.Create);
    assertThrows(SftpException.class, () -> sftp.write(past, 0, new byte[10_000]), "and the quota still holds");
    past.close();
  }

  @Test
  void write_pastQuota_failsWithQuotaStatus_andLeavesNothing() throws Exception {
    SftpClient sftp = sftp();
    SftpClient.CloseableHandle h = sftp.open(TEMP, OpenMode.Write, OpenMode.Create);
    sftp.write(h, 0, new byte[60_000]);
    SftpException e = assertThrows(SftpException.class, () -> sftp.write(h, 60_000, new byte[60_000]));
    assertEquals(SftpConstants.SSH_FX_QUOTA_EXCEEDED, e.getStatus());
    try {
      h.close();
    } catch (IOException ignored) {
      // closing a refused upload may report the failure again
    }
    assertEquals(0, incomingCount(), "the refused temporary file is deleted");
    // the quota is whole again
    write(sftp, TEMP, 0, new byte[90_000]);
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    assertEquals(90_000, Files.size(alice.root().resolve("shards/ab/ab01.0")));
  }

  @Test
  void sparseWrite_farPastTheEnd_countsInFull() throws Exception {
    SftpClient sftp = sftp();
    SftpException e = assertThrows(SftpException.class, () -> write(sftp, TEMP, 1L << 40, new byte[1]));
    assertEquals(SftpConstants.SSH_FX_QUOTA_EXCEEDED, e.getStatus());
    assertEquals(0, incomingCount());
  }

  @Test
  void quota_isSharedAcrossSessions_andFreedByRemoval() throws Exception {
    SftpClient one = sftp();
    SftpClient two = sftp();
    write(one, TEMP, 0, new byte[60_000]);
    one.rename(TEMP, "/shards/ab/ab01.0");
    SftpException e = assertThrows(SftpException.class,
        () -> write(two, "/incoming/cd01.0.part-0123456789abcdef", 0, new byte[60_000]));
    assertEquals(SftpConstants.SSH_FX_QUOTA_EXCEEDED, e.getStatus());
    two.remove("/shards/ab/ab01.0");
    write(two, "/incoming/cd01.0.part-0123456789abcdef", 0, new byte[60_000]);
  }

  @Test
  void renameOverExisting_countsOnlyTheNewCopy() throws Exception {
    SftpClient sftp = sftp();
    for (int i = 0; i < 5; i++) {
      write(sftp, TEMP, 0, new byte[40_000]);
      sftp.rename(TEMP, "/shards/ab/ab01.0");
    }
    write(sftp, "/incoming/cd01.0.part-0123456789abcdef", 0, new byte[50_000]);
  }

  @Test
  void disconnect_midUpload_leavesNoTemporaryFile() throws Exception {
    SftpClient sftp = sftp();
    SftpClient.CloseableHandle h = sftp.open(TEMP, OpenMode.Write, OpenMode.Create);
    sftp.write(h, 0, new byte[10_000]);
    assertEquals(1, incomingCount());
    sessions.get(0).close(true);
    long end = System.nanoTime() + 5_000_000_000L;
    while (incomingCount() > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertEquals(0, incomingCount());
    write(sftp(), TEMP, 0, new byte[95_000]); // and its bytes were given back
  }

  @Test
  void writesOutsideIncoming_linksCopiesAndAttributes_areRefused() throws Exception {
    List<HostedRefusal> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    agents.server.whenRefused(told::add);
    SftpClient sftp = sftp();
    write(sftp, TEMP, 0, new byte[10]);
    sftp.rename(TEMP, "/shards/ab/ab01.0");
    sftp.stat("/shards/ab/ab01.0");
    assertRefused(() -> sftp.stat("/shards/ab/ab09.0")); // not there: an answer, not a refusal
    assertEquals(List.of(), told, "what our own agents do is never told as refused");
    assertRefused(() -> write(sftp, "/shards/ab/ab02.0", 0, new byte[10]));
    assertRefused(() -> write(sftp, "/shards/ab/ab01.0", 0, new byte[10]));
    assertRefused(() -> sftp.symLink("/shards/ab/ab05.0", "/shards/ab/ab01.0"));
    assertRefused(() -> sftp.link("/shards/ab/ab01.0", "/shards/ab/ab06.0", false));
    assertRefused(() -> sftp.link("/shards/ab/ab01.0", "/shards/ab/ab06.0", true));
    assertRefused(() -> sftp.setStat("/shards/ab/ab01.0", new SftpClient.Attributes().perms(0777)));
    assertRefused(() -> sftp.setStat("/shards/ab/ab01.0", new SftpClient.Attributes().size(1L << 30)));
    assertRefused(() -> sftp.rename("/shards/ab/ab01.0", "/shards/ab/ab07.0"));
    write(sftp, TEMP, 0, new byte[10]);
    assertRefused(() -> sftp.rename(TEMP, "/shards/cd/cd01.0"));
    assertRefused(() -> sftp.mkdir("/other"));
    assertRefused(() -> sftp.mkdir("/shards/ab/sub"));
    assertRefused(() -> sftp.rmdir("/shards"));
    assertRefused(() -> sftp.remove("/incoming"));
    assertTrue(Files.notExists(alice.root().resolve("shards/ab/ab05.0"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.notExists(alice.root().resolve("shards/ab/ab06.0"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(10, Files.size(alice.root().resolve("shards/ab/ab01.0")));
    sftp.mkdir("/shards/ef");
    sftp.rmdir("/shards/ef");
    // the refusals reached the agent, named for alice, printable: all above but removing /incoming,
    // which is refused without an AccessDeniedException (the SFTP subsystem's own "not a file")
    assertEquals(12, told.size(), told.size() + " told: " + told);
    for (HostedRefusal r : told) {
      HostedRefusal.Access a = assertInstanceOf(HostedRefusal.Access.class, r);
      assertEquals("alice", a.from());
      assertTrue(a.what().startsWith("sftp: ") && a.what().chars().allMatch(c -> c >= 0x20 && c < 0x7f), a.what());
    }
    assertTrue(told.stream().anyMatch(r -> ((HostedRefusal.Access) r).what().contains("/other")), told.toString());
  }

  private static void assertRefused(ThrowingRunnable r) {
    try {
      r.run();
      fail("not refused");
    } catch (Exception expected) {
      // refused
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** reliability.md §7.3, plus paths that satisfy the layout grammar but run into planted links. */
  static List<String> corpus() {
    List<String> c = new ArrayList<>(List.of(
        "..", "../..", "/..", "a/../../b", "./../", "....//", "..\\", "..\\..\\", "/etc/passwd", "//etc/passwd",
        "~/.ssh", "~", "~root", "C:\\", "\\\\?\\C:\\", "%2e%2e%2f", "%2e%2e/%2e%2e/etc/passwd", "%252e%252e%252f",
        "\u00c0\u00ae\u00c0\u00ae/", "\u2024\u2024", "\u2024\u2024/\u2024\u2024/etc", "\uFF0E\uFF0E", "\uFF0E\uFF0E\uFF0Fetc",
        "\uFF0Fetc\uFF0Fpasswd", "a\u0000.txt", "/shards/ab/ab01.0\u0000/../../..", "/shards\u0000/../..", "a\nb", "a\tb",
        "a\u007f", "a\u0001", "/shards/", "/shards/.", "/shards/..", "/shards/./ab", "/shards//ab", "/shards/ab/",
        "/shards/ab/ab01.0/", "/shards/ab/ab01.0.", "/shards/ab/ab01.0 ", " /shards", "/shards/AB/AB01.0",
        "/incoming/..", "/incoming/../../bob/shards/bb/bb01.0", "/shards/../../bob/shards/bb/bb01.0",
        "/shards/ab/../../../outside/secret.txt", "../bob/shards/bb/bb01.0", "../../outside/secret.txt",
        "/shards/ab/" + "a".repeat(255), "/shards/ab/a" + "b".repeat(255), "x".repeat(255), "x".repeat(256),
        "/" + "a/".repeat(2047) + "b", "/" + "a/".repeat(2049), "/incoming/ab01.0.part-0123",
        // grammatical, but through links planted on the host:
        "/shards/ro", "/shards/ro/root", "/shards/ro/ro", "/shards/bb", "/shards/bb/bb01.0", "/shards/zz",
        "/shards/zz/zz", "/shards/ab/ab02.0", "/shards/ab/ab03.0"));
    return c;
  }

  private Map<String, String> snapshotOutside(Path aliceRoot) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.startsWith(aliceRoot)) {
          continue;
        }
        m.put(dir.relativize(p).toString(), describe(p));
      }
    }
    m.put("/etc/passwd", describe(Path.of("/etc/passwd")));
    return m;
  }

  private Map<String, String> snapshotInside(Path aliceRoot) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> all = Files.walk(aliceRoot)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        m.put(aliceRoot.relativize(p).toString(), describe(p));
      }
    }
    return m;
  }

  private static String describe(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return "link:" + Files.readSymbolicLink(p);
    }
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return "dir";
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
      return "file:" + HexFormat.of().formatHex(h) + ":" + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void traversalCorpus_everyOperation_staysInsideTheOwnRoot() throws Exception {
    List<HostedRefusal> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    agents.server.whenRefused(told::add);
    SftpClient sftp = sftp(); // prepares alice's root
    Path a = alice.root();
    Files.createDirectories(a.resolve("shards/ab"));
    Files.writeString(a.resolve("shards/ab/ab01.0"), "alice's shard");
    Files.createSymbolicLink(a.resolve("shards/ro"), Path.of("/"));
    Files.createSymbolicLink(a.resolve("shards/bb"), bob.root().resolve("shards/bb"));
    Files.createSymbolicLink(a.resolve("shards/zz"), Path.of("../../bob"));
    Files.createSymbolicLink(a.resolve("shards/ab/ab02.0"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(a.resolve("shards/ab/ab03.0"), bob.root().resolve("shards/bb/bb01.0"));
    Map<String, String> outside = snapshotOutside(a);
    Map<String, String> inside = snapshotInside(a);

    SftpClient latin1 = sftp();
    latin1.setNameDecodingCharset(StandardCharsets.ISO_8859_1); // sends U+00C0 U+00AE as the bytes C0 AE
    List<String> escapes = new ArrayList<>();
    int attempts = 0;
    for (SftpClient c : List.of(sftp, latin1)) {
      for (String p : corpus()) {
        Map<String, ThrowingRunnable> ops = new TreeMap<>();
        ops.put("read", () -> {
          try (var in = c.read(p)) {
            in.readAllBytes();
          }
        });
        ops.put("write", () -> write(c, p, 0, "x".getBytes(StandardCharsets.UTF_8)));
        ops.put("list", () -> c.readDir(p).forEach(e -> { }));
        ops.put("stat", () -> c.stat(p));
        ops.put("lstat", () -> c.lstat(p));
        ops.put("remove", () -> c.remove(p));
        ops.put("rmdir", () -> c.rmdir(p));
        ops.put("mkdir", () -> c.mkdir(p));
        ops.put("renameFrom", () -> c.rename(p, "/shards/ab/ab09.0"));
        ops.put("renameTo", () -> {
          write(c, TEMP, 0, new byte[1]);
          c.rename(TEMP, p);
        });
        ops.put("realpath", () -> {
          String r = c.canonicalPath(p);
          try {
            org.selfstorage.federation.hosted.HostedLayout.check(r);
          } catch (java.nio.file.AccessDeniedException outsideTheLayout) {
            return; // an escape: reported below
          }
          throw new IOException("resolved inside the layout: " + r);
        });
        ops.put("readlink", () -> c.readLink(p));
        ops.put("symlink", () -> c.symLink(p, "/etc"));
        ops.put("setstat", () -> c.setStat(p, new SftpClient.Attributes().perms(0777)));
        for (var op : ops.entrySet()) {
          attempts++;
          try {
            op.getValue().run();
            escapes.add(op.getKey() + " " + HostedLayoutPrinter.printable(p) + " succeeded");
          } catch (Exception refused) {
            // refused, as it must be
          }
          try {
            c.remove(TEMP);
          } catch (IOException ignored) {
            // usually absent
          }
        }
      }
    }
    assertTrue(attempts > 1000, "attempts " + attempts);
    assertEquals(List.of(), escapes);
    // the probe reached the agent as alice's refused requests, each printable whatever bytes it sent
    assertTrue(told.size() > 1000, told.size() + " told");
    assertTrue(told.stream().allMatch(r -> r instanceof HostedRefusal.Access x && x.from().equals("alice")
        && x.what().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)), told.toString());
    assertEquals(outside, snapshotOutside(a), "something outside alice's root changed");
    assertEquals(inside, snapshotInside(a), "something inside alice's root changed");
    // and the legitimate paths still work
    assertArrayEquals("alice's shard".getBytes(StandardCharsets.UTF_8), sftp.read("/shards/ab/ab01.0").readAllBytes());
  }
}
