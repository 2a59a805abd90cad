package org.selfstorage.federation.ssh;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.AgentServer;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.RpcHandler;
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.ShardStore;

/**
 * A hosting agent on 127.0.0.1 with an ephemeral port, its agreements in a map, and identities for
 * partners. Real MINA server and clients; nothing mocked.
 */
final class TestAgents implements AutoCloseable {
  static final Identity HOST = identity(1);
  static final Identity ALICE = identity(2);
  static final Identity BOB = identity(3);
  static final Identity STRANGER = identity(4);

  final Path base;
  final Map<String, HostedPartner> agreements = new ConcurrentHashMap<>();
  AgentServer server;
  /** The RPC handler the next {@link #start} uses. */
  RpcHandler rpc = RpcHandler.NONE;
  private PartnerConnections connections;

  TestAgents(Path base) {
    this.base = base;
  }

  static Identity identity(int seed) {
    byte[] b = new byte[16];
    Arrays.fill(b, (byte) seed);
    return Identity.derive(MasterSecret.fromBytes(b));
  }

  /** Fast timeouts for tests. */
  static ServerSettings serverSettings() {
    return ServerSettings.defaults().withAuthTimeout(java.time.Duration.ofSeconds(5));
  }

  static ClientSettings clientSettings() {
    return ClientSettings.defaults().withTimeouts(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(2));
  }

  HostedPartner host(Identity partner, String name, long quota) {
    HostedPartner p = new HostedPartner(name, base.resolve("hosted").resolve(name).toAbsolutePath(), quota);
    agreements.put(partner.fingerprint(), p);
    return p;
  }

  /** Replaces the agreement of a key (to give it an epoch, say). */
  void agreementsFor(Identity partner, HostedPartner p) {
    agreements.put(partner.fingerprint(), p);
  }

  TestAgents start(ServerSettings settings) {
    server = Federation.startServer("127.0.0.1", 0, HOST, this::lookup, rpc, settings);
    return this;
  }

  TestAgents start() {
    return start(serverSettings());
  }

  Optional<HostedPartner> lookup(byte[] key) {
    return Optional.ofNullable(agreements.get(Identity.fingerprintOf(key)));
  }

  PartnerAddress address() {
    return new PartnerAddress("127.0.0.1", server.port());
  }

  ShardStore store(Identity as, ClientSettings settings) {
    if (connections == null) {
      connections = Federation.partnerConnections(as, settings);
    }
    return connections.shardStore("host", address(), HostKeyFingerprint.of(HOST));
  }

  @Override
  public void close() {
    if (connections != null) {
      connections.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
