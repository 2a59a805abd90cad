package org.selfstorage.federation;

import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.ssh.SshAgentServer;
import org.selfstorage.federation.ssh.SshPartnerConnections;

/** The entry to federation over SSH: this agent's server for its partners, and its connections to them. */
public final class Federation {
  private Federation() {}

  /**
   * Starts the SSH server partners connect to. Its host key is {@code identity}; a client may log in
   * only with a key {@code lookup} knows, and then sees only that partner's hosted directory.
   *
   * @param bindHost the address to listen on, such as {@code 0.0.0.0} or {@code 127.0.0.1}; never a
   *     wildcard by default
   * @param port the TCP port, or 0 for any free one ({@link AgentServer#port()} tells which)
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public static AgentServer startServer(String bindHost, int port, Identity identity, AgreementLookup lookup,
      ServerSettings settings) {
    return SshAgentServer.start(bindHost, port, identity, lookup, settings);
  }

  /** Opens (lazily) connections to partners, authenticating as {@code identity}. */
  public static PartnerConnections partnerConnections(Identity identity, ClientSettings settings) {
    return SshPartnerConnections.open(identity, settings);
  }
}
