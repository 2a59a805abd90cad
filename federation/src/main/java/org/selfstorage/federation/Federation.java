package org.selfstorage.federation;

import org.selfstorage.crypto.Identity;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.hosted.HostedLeftovers;
import org.selfstorage.federation.ssh.HostKeyProbe;
import org.selfstorage.federation.ssh.SshAgentServer;
import org.selfstorage.federation.ssh.SshPartnerConnections;

/** The entry to federation over SSH: this agent's server for its partners, and its connections to them. */
public final class Federation {
  private Federation() {}

  /**
   * Starts the SSH server partners connect to, answering no RPC calls ({@link RpcHandler#NONE}). Its
   * host key is {@code identity}; a client that logs in with a key {@code lookup} knows sees only
   * that partner's hosted directory; any other Ed25519 key is at most a guest.
   *
   * @param bindHost the address to listen on, such as {@code 0.0.0.0} or {@code 127.0.0.1}; never a
   *     wildcard by default
   * @param port the TCP port, or 0 for any free one ({@link AgentServer#port()} tells which)
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public static AgentServer startServer(String bindHost, int port, Identity identity, AgreementLookup lookup,
      ServerSettings settings) {
    return startServer(bindHost, port, identity, lookup, RpcHandler.NONE, settings);
  }

  /**
   * Starts the SSH server as above, with {@code rpcHandler} answering calls on the RPC subsystem
   * ({@code selfstorage-rpc@selfstorage}, see docs/federation.md). A key {@code lookup} does not know
   * may log in as a guest (rate-limited by {@link ServerSettings#pairingAttemptsPerMinute()}) and
   * call only {@code pair}.
   */
  public static AgentServer startServer(String bindHost, int port, Identity identity, AgreementLookup lookup,
      RpcHandler rpcHandler, ServerSettings settings) {
    return SshAgentServer.start(bindHost, port, identity, lookup, rpcHandler, settings);
  }

  /**
   * The host key an agent presents at {@code address}, learned without logging in (for recovery,
   * where the pin is not known yet: what is then fetched is authenticated by our own keys).
   */
  public static HostKeyFingerprint hostKeyOf(PartnerAddress address, java.time.Duration timeout) {
    return HostKeyProbe.of(address, timeout);
  }

  /**
   * Removes what uploads interrupted by a crash or power cut left in a partner's hosted directory
   * (temporary files never renamed into place, never acknowledged) and names each. Call it only
   * while the server is not running, as the agent does before it starts.
   */
  public static java.util.List<String> removeInterruptedUploads(java.nio.file.Path hostRoot)
      throws java.io.IOException {
    return HostedLeftovers.remove(hostRoot);
  }

  /** Opens (lazily) connections to partners, authenticating as {@code identity}. */
  public static PartnerConnections partnerConnections(Identity identity, ClientSettings settings) {
    return SshPartnerConnections.open(identity, settings);
  }

  /**
   * Moves {@code bytes} of throwaway shards through a throwaway server and client on 127.0.0.1
   * (random identities, a scratch hosted directory that is removed after), so that SSH encryption
   * and the shard channel are compiled before the first real transfer of a freshly started agent.
   */
  public static void warmUp(java.nio.file.Path scratch, long bytes) {
    java.security.SecureRandom random = new java.security.SecureRandom();
    try (MasterSecret hostSecret = MasterSecret.generate(random);
        MasterSecret clientSecret = MasterSecret.generate(random)) {
      Identity host = Identity.derive(hostSecret);
      Identity client = Identity.derive(clientSecret);
      byte[] clientKey = client.publicKey();
      HostedPartner hosted = new HostedPartner("warm-up", scratch.toAbsolutePath(), bytes * 2);
      AgreementLookup lookup = key -> java.util.Arrays.equals(key, clientKey) ? java.util.Optional.of(hosted)
          : java.util.Optional.empty();
      try (AgentServer server = startServer("127.0.0.1", 0, host, lookup, ServerSettings.defaults());
          PartnerConnections connections = partnerConnections(client, ClientSettings.defaults());
          ShardStore store = connections.shardStore("warm-up", new PartnerAddress("127.0.0.1", server.port()),
              HostKeyFingerprint.of(host))) {
        byte[] shard = new byte[4 << 20];
        random.nextBytes(shard);
        for (long done = 0; done < bytes; done += shard.length) {
          ShardName name = new ShardName("warmup" + (done / shard.length % 4) + ".0");
          store.put(name, shard);
          store.get(name);
        }
      }
    } finally {
      deleteTree(scratch);
    }
  }

  private static void deleteTree(java.nio.file.Path root) {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      // a leftover scratch directory is removed by the next warm-up
    }
  }
}
