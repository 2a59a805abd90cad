package org.selfstorage.agent.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.RpcCaller;

/**
 * The hello a partner sends: one declaring a newer epoch (its home was recovered on another
 * machine) raises it once and hands the new agreement to the server, which closes the old
 * machine's sessions; the answer tells what we keep for it and how much room the disk has.
 */
class MeshRpcHelloTest {
  @TempDir Path dir;
  private Catalog catalog;
  private PartnerDirectory directory;
  private MeshRpc rpc;
  private final List<HostedPartner> raised = new CopyOnWriteArrayList<>();
  private RpcCaller owner;

  @BeforeEach
  void setUp() {
    catalog = Catalog.open(dir.resolve("catalog.db"));
    directory = new PartnerDirectory(catalog, dir.resolve("hosted"));
    Identity host = Identity.derive(MasterSecret.fromBytes(new byte[16]));
    byte[] ownerKey = Identity.derive(MasterSecret.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        15, 16})).publicKey();
    Partner p = catalog.partners().add("owner", ownerKey, List.of("127.0.0.1:7001"), "owner", 1L << 30, 1L << 30,
        Instant.now());
    rpc = new MeshRpc(catalog, host, directory, new AgentProfile("host", new PartnerAddress("127.0.0.1", 7000),
        List.of(new PartnerAddress("127.0.0.1", 7000))), Clock.systemUTC(), 64, line -> {},
        EventLog.catalogOnly(catalog, Clock.systemUTC()));
    rpc.whenEpochRaised(raised::add);
    owner = new RpcCaller(Optional.of(directory.hosted(p)), ownerKey, new InetSocketAddress("127.0.0.1", 40000));
  }

  @AfterEach
  void tearDown() {
    catalog.close();
  }

  private com.fasterxml.jackson.databind.JsonNode hello(long epoch) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("epoch", epoch);
    return rpc.handle(owner, "hello", params);
  }

  @Test
  void aLeavingNotice_marksThePartnerAsHavingEndedTheAgreement() {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("kind", "leaving");
    rpc.handle(owner, "notice", params);
    Partner p = catalog.partners().byName("owner").orElseThrow();
    org.junit.jupiter.api.Assertions.assertNotNull(p.endedAt());
    assertEquals("it told us it ended the agreement", p.lastError());
  }

  @Test
  void theAnswer_tellsTheQuotaFromTheCatalog_andTheDisksFreeSpace() throws Exception {
    Partner p = catalog.partners().byName("owner").orElseThrow();
    catalog.partners().setQuotas(p.id(), 5L << 30, p.hostsForUs()); // as set-quota does, after the login
    com.fasterxml.jackson.databind.JsonNode r = hello(0);
    assertEquals(5L << 30, r.get("quota").asLong(), r.toString());
    // the partner's directory does not exist before its first shard: the disk that will hold it
    long free = java.nio.file.Files.getFileStore(dir).getUsableSpace();
    long told = r.get("free").asLong();
    org.junit.jupiter.api.Assertions.assertTrue(told > 0 && Math.abs(told - free) < (64L << 20), told + " vs " + free);
  }

  @Test
  void whileTheHostedDiskTakesNoWrites_theAnswerSaysWhy() {
    org.junit.jupiter.api.Assertions.assertFalse(hello(0).has("notWritable"), "a disk that takes writes");
    catalog.settings().put(org.selfstorage.agent.audit.HostedDiskProbe.SETTING, "Read-only file system");
    assertEquals("Read-only file system", hello(0).path("notWritable").asText());
    catalog.settings().delete(org.selfstorage.agent.audit.HostedDiskProbe.SETTING);
    org.junit.jupiter.api.Assertions.assertFalse(hello(0).has("notWritable"), "writable again");
  }

  /** hosting.max-rate goes to every partner at hello, so that it keeps to it instead of being slowed. */
  @Test
  void theAnswer_tellsHowFastThePartnerMaySendShards() {
    assertEquals(0, hello(0).path("maxRate").asLong(-1), "no limit by default");
    catalog.settings().put(org.selfstorage.agent.ConfigKey.HOSTING_MAX_RATE.key(), "3M");
    assertEquals(3L << 20, hello(0).path("maxRate").asLong());
  }

  @Test
  void aNewerEpoch_isHandedToTheServerOnce_withTheNewAgreement() {
    hello(0);
    assertEquals(List.of(), raised, "the epoch it had");
    hello(2);
    assertEquals(1, raised.size());
    assertEquals(2, raised.get(0).epoch());
    assertEquals(directory.hostedDir("owner"), raised.get(0).root());
    assertEquals(1L << 30, raised.get(0).quotaBytes());
    assertEquals(2, catalog.partners().byName("owner").orElseThrow().epoch());
    hello(2);
    hello(1);
    assertEquals(1, raised.size(), "the same or an older epoch raises nothing");
  }
}
