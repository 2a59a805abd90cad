package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.Invitation;

/**
 * A mesh of four agents, each a separate process with its own home on its own loopback address:
 * an owner and three partners, paired with invitation codes and driven through the CLI. The steps
 * build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshIT {
  private static final String MARKER = "plaintext-marker-4f2a9c";
  @TempDir static Path dir;
  private MeshAgent owner;
  private final List<MeshAgent> partners = new ArrayList<>();
  private Path src;

  @BeforeAll
  void startMesh() throws Exception {
    owner = MeshAgent.create(dir, "owner", "127.0.0.1");
    partners.add(MeshAgent.create(dir, "p1", "127.0.0.2"));
    partners.add(MeshAgent.create(dir, "p2", "127.0.0.3"));
    partners.add(MeshAgent.create(dir, "p3", "127.0.0.4"));
    owner.start();
    for (MeshAgent p : partners) {
      p.start();
    }
    src = dir.resolve("src");
    Files.createDirectories(src.resolve("docs"));
    BackupRestoreIT.writeRandom(src.resolve("docs/big.bin"), 24_000_000, 7);
    Files.writeString(src.resolve("docs/notes.txt"), (MARKER + " ").repeat(50_000));
    Files.writeString(src.resolve("odd name\nwith newline"), "x");
  }

  @AfterAll
  void stopMesh() throws Exception {
    for (MeshAgent p : partners) {
      p.close();
    }
    if (owner != null) {
      owner.close();
    }
  }

  private MeshAgent p(int i) {
    return partners.get(i - 1);
  }

  @Test
  @Order(1)
  void pairing_withInvitationCodes_recordsTheSameAgreementOnBothSides() throws Exception {
    for (MeshAgent p : partners) {
      String code = owner.invite("1G");
      p.ok("join", code, "--quota", "2G");
    }
    JsonNode mine = owner.json("partners");
    assertEquals(3, mine.size(), mine.toString());
    for (JsonNode row : mine) {
      assertEquals("ok", row.get("status").asText(), row.toString());
      assertEquals(1L << 30, row.get("hostsForThem").asLong());
      assertEquals(2L << 30, row.get("hostsForUs").asLong());
    }
    JsonNode theirs = p(1).json("partners");
    assertEquals(1, theirs.size());
    assertEquals("owner", theirs.get(0).get("name").asText());
    assertEquals(2L << 30, theirs.get(0).get("hostsForThem").asLong());
    assertEquals(1L << 30, theirs.get(0).get("hostsForUs").asLong());
    // each side pinned the other's real host key
    assertEquals(p(1).json("partners").get(0).get("fingerprint").asText(), fingerprintOf(owner));
    assertEquals(mine.get(0).get("fingerprint").asText(), fingerprintOf(p(1)));
  }

  @Test
  @Order(2)
  void badCodes_areRefusedSayingWhich_andRecordNothing() throws Exception {
    MeshAgent joiner = p(1);
    String code = owner.invite("1G");
    // truncated and garbled are caught by the code itself, before anything is sent
    Cli.Result truncated = joiner.run("join", code.substring(0, code.length() - 7), "--quota", "1G");
    assertEquals(2, truncated.exitCode(), truncated.toString());
    assertTrue(truncated.stderr().contains("INVITATION_TRUNCATED"), truncated.toString());
    char[] chars = code.toCharArray();
    int at = code.length() / 2;
    chars[at] = chars[at] == 'A' ? 'B' : 'A';
    Cli.Result garbled = joiner.run("join", new String(chars), "--quota", "1G");
    assertEquals(2, garbled.exitCode(), garbled.toString());
    assertTrue(garbled.stderr().contains("INVITATION_GARBLED"), garbled.toString());
    Cli.Result notCode = joiner.run("join", "hello-world", "--quota", "1G");
    assertEquals(2, notCode.exitCode(), notCode.toString());
    // forged: a well-formed code with the right host key but a secret the owner never issued
    Invitation real = Invitation.parse(code);
    byte[] otherSecret = real.secret();
    otherSecret[0] ^= 1;
    String forged = new Invitation(real.inviterName(), real.addresses(), real.hostKey(), real.id(), otherSecret,
        real.quotaBytes(), real.expires()).toCode();
    // p1 is already a partner (it would be refused for that); a fresh agent tries instead
    MeshAgent stranger = MeshAgent.create(dir, "stranger", "127.0.0.5");
    Cli.Result f = stranger.run("join", forged, "--quota", "1G");
    assertEquals(1, f.exitCode(), f.toString());
    assertTrue(f.stderr().contains("INVITATION_FORGED"), f.toString());
    // the real code still works once, then is used
    stranger.ok("join", code, "--quota", "1G");
    MeshAgent another = MeshAgent.create(dir, "another", "127.0.0.6");
    Cli.Result used = another.run("join", code, "--quota", "1G");
    assertEquals(1, used.exitCode(), used.toString());
    assertTrue(used.stderr().contains("INVITATION_USED"), used.toString());
    // expired: a code valid for one second, tried after that second has passed on the wall clock
    String shortLived = owner.invite("1G", "--expires", "1s");
    Thread.sleep(1_500); // waiting for real time to pass, not for another thread
    Cli.Result expired = another.run("join", shortLived, "--quota", "1G");
    assertEquals(2, expired.exitCode(), expired.toString());
    assertTrue(expired.stderr().contains("INVITATION_EXPIRED"), expired.toString());
    assertTrue(another.json("partners", "--offline").isEmpty());
    // the stranger is removed again so that the owner's placement uses p1..p3 only
    owner.ok("partners", "remove", "stranger", "--force");
    assertEquals(3, owner.json("partners", "--offline").size());
  }

  @Test
  @Order(3)
  void backup_placesShardsOnPartners_whoSeeOnlyCiphertext_andUsageAgrees() throws Exception {
    owner.ok("source", "add", src.toString(), "--name", "docs");
    JsonNode r = owner.json("backup", "docs");
    assertEquals(2, r.get("dataShards").asInt(), r.toString());
    assertEquals(1, r.get("parityShards").asInt(), r.toString());
    long total = 0;
    for (MeshAgent p : partners) {
      Path hosted = p.home().resolve("hosted").resolve("owner");
      List<Path> files;
      try (Stream<Path> s = Files.walk(hosted)) {
        files = s.filter(Files::isRegularFile).toList();
      }
      assertFalse(files.isEmpty(), p.name + " holds no shards");
      for (Path f : files) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(MARKER), "plaintext on " + p.name + ": " + f);
        total += Files.size(f);
      }
      JsonNode mineOnIt = MeshAgent.row(owner.json("partners"), p.name);
      JsonNode itsView = MeshAgent.row(p.json("partners"), "owner");
      assertEquals(itsView.get("usedByThem").asLong(), mineOnIt.get("storedWithThem").asLong() + replicaBytes(p),
          "our shard records and the catalog copies are what " + p.name + " measures");
      assertEquals(itsView.get("usedByThem").asLong(), mineOnIt.get("reportedByThem").asLong());
    }
    assertTrue(total > 24_000_000, "shards hold at least the data: " + total);
  }

  @Test
  @Order(4)
  void restore_withOnePartnerDown_isByteExact() throws Exception {
    p(2).kill();
    Path out = dir.resolve("restored");
    owner.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
    JsonNode p2 = MeshAgent.row(owner.json("partners"), "p2");
    assertEquals("unreachable", p2.get("status").asText(), p2.toString());
    // a backup while p2 is down still succeeds, on the two sites that answer
    Files.writeString(src.resolve("docs/new.txt"), "new while p2 is down");
    JsonNode r = owner.json("backup", "docs");
    assertEquals(2, r.get("dataShards").asInt() + r.get("parityShards").asInt(), r.toString());
    p(2).start();
    assertEquals("ok", MeshAgent.row(owner.json("partners"), "p2").get("status").asText());
  }

  @Test
  @Order(5)
  void partnerKeys_cannotLeaveTheirRoot_andUnpairedKeysCannotReadAnything() throws Exception {
    // p1 hosts for the owner; the owner hosts for p1 and p3. Plant a link in p1's directory here.
    Path ownerHosted = owner.home().resolve("hosted");
    Files.createDirectories(ownerHosted.resolve("p1").resolve("shards"));
    Files.createDirectories(ownerHosted.resolve("p3").resolve("shards").resolve("ab"));
    Files.writeString(ownerHosted.resolve("p3").resolve("shards").resolve("ab").resolve("ab01.0"), "p3's shard");
    Files.createSymbolicLink(ownerHosted.resolve("p1").resolve("shards").resolve("zz"), ownerHosted.resolve("p3"));
    Identity p1 = identityOf(p(1));
    List<String> attempts = List.of("..", "../p3", "../p3/shards/ab/ab01.0", "/../p3", "/etc/passwd", "../../keys",
        "shards/zz", "shards/zz/shards/ab/ab01.0", "%2e%2e/p3", "..\\p3", "shards/../../p3", "~/");
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // we are the attacker here
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.start();
    try {
      try (ClientSession s = client.connect("x", owner.host, owner.port).verify(Duration.ofSeconds(10)).getSession()) {
        s.addPublicKeyIdentity(p1.keyPair());
        s.auth().verify(Duration.ofSeconds(10));
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
          int refused = 0;
          for (String path : attempts) {
            refused += refusedRead(sftp, path) + refusedList(sftp, path) + refusedWrite(sftp, path);
          }
          assertEquals(attempts.size() * 3, refused, "every attempt must be refused");
        }
      }
      assertEquals("p3's shard", Files.readString(ownerHosted.resolve("p3/shards/ab/ab01.0")));
      // the owner is told, once for the whole probe, who probed and with what fix
      // (written off the SSH threads: polled with a deadline)
      JsonNode told = owner.json("events");
      List<JsonNode> access = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        access.clear();
        told.forEach(e -> {
          if (e.get("code").asText().equals("PARTNER_ACCESS_REFUSED")) {
            access.add(e);
          }
        });
        if (!access.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        told = owner.json("events");
      }
      assertEquals(1, access.size(), told.toString());
      assertTrue(access.get(0).get("message").asText().startsWith("p1 asked for something no partner may do"),
          access.toString());
      assertTrue(access.get(0).get("fix").asText().contains("selfstorage partners remove p1"), access.toString());
      // an unpaired key logs in as a guest that may only ask to pair: no SFTP
      try (MasterSecret fresh = MasterSecret.generate(new java.security.SecureRandom())) {
        Identity stranger = Identity.derive(fresh);
        try (ClientSession s = client.connect("x", owner.host, owner.port).verify(Duration.ofSeconds(10))
            .getSession()) {
          s.addPublicKeyIdentity(stranger.keyPair());
          s.auth().verify(Duration.ofSeconds(10));
          assertThrows(Exception.class, () -> SftpClientFactory.instance().createSftpClient(s).readDir("/"));
        } catch (org.apache.sshd.common.SshException refusedAtLogin) {
          // refused outright (rate limit) is as good
        }
      }
    } finally {
      client.stop();
    }
  }

  private static int refusedRead(SftpClient sftp, String path) {
    try (var in = sftp.read(path)) {
      in.read();
      return 0;
    } catch (Exception e) {
      return 1;
    }
  }

  private static int refusedList(SftpClient sftp, String path) {
    try {
      sftp.readDir(path).iterator().hasNext();
      return 0;
    } catch (Exception e) {
      return 1;
    }
  }

  private static int refusedWrite(SftpClient sftp, String path) {
    try (var out = sftp.write(path)) {
      out.write(1);
      return 0;
    } catch (Exception e) {
      return 1;
    }
  }

  @Test
  @Order(6)
  void removingAPartner_revokesItsKey_andMovesOurShardsToAnotherSite() throws Exception {
    Path local = dir.resolve("owner-usb");
    owner.ok("store", "add", local.toString(), "--site", "home-usb");
    long onP3 = MeshAgent.row(owner.json("partners"), "p3").get("shards").asLong();
    assertTrue(onP3 > 0);
    p(3).stop(); // so it cannot be told, and learns it from the owner's answer instead
    Cli.Result r = owner.ok("partners", "remove", "p3");
    assertTrue(r.stdout().contains("p3 removed") && r.stdout().contains("could not be told"), r.toString());
    assertFalse(owner.json("partners", "--offline").toString().contains("\"p3\""));
    // the owner answers p3 as a stranger: p3 sees it ended the agreement, not that it is down
    JsonNode fromP3 = MeshAgent.row(p(3).json("partners"), "owner");
    assertEquals("left", fromP3.get("status").asText(), fromP3.toString());
    JsonNode left = null;
    for (JsonNode f : p(3).json("status").get("findings")) {
      left = f.get("code").asText().equals("PARTNER_LEFT") ? f : left;
      assertNotEquals("PARTNER_UNREACHABLE", f.get("code").asText(), f.toString());
    }
    assertNotNull(left, "no PARTNER_LEFT finding");
    assertTrue(left.get("fix").asText().startsWith("selfstorage partners remove owner"), left.toString());
    // every pack still has all its shards, now with some on the local store
    JsonNode status = owner.json("status");
    assertEquals(0, status.get("health").get("degraded").asLong() + status.get("health").get("atRisk").asLong()
        + status.get("health").get("lost").asLong(), status.toString());
    Path out = dir.resolve("restored-after-remove");
    owner.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  @Test
  @Order(7)
  void forgetAndPrune_freeSpaceOnPartners_andBothSidesShowIt() throws Exception {
    Files.delete(src.resolve("docs/big.bin"));
    owner.ok("backup", "docs");
    long before = MeshAgent.row(p(1).json("partners"), "owner").get("usedByThem").asLong();
    owner.ok("policy", "set", "docs", "--keep-last", "1");
    JsonNode r = owner.json("forget", "--prune");
    assertTrue(r.get("prune").get("bytesFreed").asLong() > 10_000_000, r.toString());
    assertEquals(0, r.get("prune").get("pendingDeletes").asInt(), r.toString());
    JsonNode itsView = MeshAgent.row(p(1).json("partners"), "owner");
    JsonNode ourView = MeshAgent.row(owner.json("partners"), "p1");
    assertTrue(itsView.get("usedByThem").asLong() < before / 2, before + " -> " + itsView);
    assertEquals(itsView.get("usedByThem").asLong(), ourView.get("storedWithThem").asLong() + replicaBytes(p(1)),
        "both sides agree on what p1 keeps for the owner");
    Path out = dir.resolve("restored-after-prune");
    owner.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }

  /** The catalog copies a partner keeps (not shards, so not in the owner's shard records). */
  private static long replicaBytes(MeshAgent partner) throws Exception {
    Path fan = partner.home().resolve("hosted/owner/shards/ca");
    if (!Files.isDirectory(fan)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(fan)) {
      return s.filter(f -> f.getFileName().toString().startsWith("catalog.")).mapToLong(f -> f.toFile().length()).sum();
    }
  }


  private static Identity identityOf(MeshAgent a) throws Exception {
    List<String> lines = Files.readAllLines(a.home().resolve("keys/master.key"));
    try (MasterSecret s = MasterSecret.fromBytes(HexFormat.of().parseHex(lines.get(1).trim()))) {
      return Identity.derive(s);
    }
  }

  private static String fingerprintOf(MeshAgent a) throws Exception {
    return identityOf(a).fingerprint();
  }
}
