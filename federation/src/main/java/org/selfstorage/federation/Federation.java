package org.selfstorage.federation;

import org.selfstorage.crypto.Identity;
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

  /** Opens (lazily) connections to partners, authenticating as {@code identity}. */
  public static PartnerConnections partnerConnections(Identity identity, ClientSettings settings) {
    return SshPartnerConnections.open(identity, settings);
  }
}
