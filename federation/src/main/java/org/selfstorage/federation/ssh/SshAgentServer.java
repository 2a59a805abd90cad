package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.global.KeepAliveHandler;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.AgentServer;
import org.selfstorage.federation.AgreementLookup;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.RpcHandler;
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.hosted.HostedFileSystemFactory;
import org.selfstorage.federation.hosted.HostedSftpAccessor;
import org.selfstorage.federation.hosted.HostedSftpErrors;
import org.selfstorage.federation.hosted.HostedSftpListener;
import org.selfstorage.federation.hosted.HostedUsage;
import org.selfstorage.federation.hosted.ShardChannelFactory;
import org.selfstorage.federation.rpc.RpcSubsystemFactory;

/**
 * The agent's SSH server: MINA set up so that a partner can do exactly three things, open the SFTP
 * subsystem confined to its hosted directory, open the shard channel, or call the RPC subsystem; and
 * a guest (a key with no agreement) only the last, for the method {@code pair}. docs/federation.md
 * lists every setting and why.
 */
public final class SshAgentServer implements AgentServer {
  private final SshServer sshd;
  private final ExecutorService workers;
  private final ExecutorService rpcWorkers;
  private final PartnerAuthenticator partners;
  private final PacketPool packets;
  private final PendingLogins pending;
  private final HostedUsage usage;
  private final InboundPacers inbound;

  private SshAgentServer(SshServer sshd, PacketPool packets, ExecutorService workers, ExecutorService rpcWorkers,
      PartnerAuthenticator partners, PendingLogins pending, HostedUsage usage, InboundPacers inbound) {
    this.sshd = sshd;
    this.inbound = inbound;
    this.usage = usage;
    this.packets = packets;
    this.workers = workers;
    this.rpcWorkers = rpcWorkers;
    this.partners = partners;
    this.pending = pending;
  }

  public static SshAgentServer start(String bindHost, int port, Identity identity, AgreementLookup lookup,
      RpcHandler rpcHandler, ServerSettings settings) {
    java.util.Objects.requireNonNull(rpcHandler, "rpcHandler");
    Ed25519Registrar.install();
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost(bindHost);
    sshd.setPort(port);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(identity.keyPair()));
    SshAlgorithms.apply(sshd, ServerBuilder.DH2KEX);

    // authentication: Ed25519 keys only; partners by their agreement, other keys as rate-limited guests
    HostedUsage usage = new HostedUsage();
    InboundPacers inbound = new InboundPacers();
    PartnerAuthenticator partners = new PartnerAuthenticator(lookup, usage, inbound, settings);
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    sshd.setPublickeyAuthenticator(partners);
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    PendingLogins pending = new PendingLogins(settings.maxPendingLogins());
    sshd.addSessionListener(pending); // first: a session it refuses is never shown to the others
    sshd.addSessionListener(partners);

    // what an authenticated partner may open: session channels carrying one of three subsystems (a guest: RPC only)
    sshd.setShellFactory(null);
    sshd.setCommandFactory(null);
    sshd.setAgentFactory(null);
    sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    sshd.setChannelFactories(List.of(PartnerChannelSession.FACTORY));
    sshd.setGlobalRequestHandlers(List.of(KeepAliveHandler.INSTANCE));
    sshd.setFileSystemFactory(new HostedFileSystemFactory());
    // no cap of its own (a full pool would refuse another partner's work): each partner's tasks go
    // through its WorkerLane, at most 16 at once, so the threads are bounded by the agreements
    ExecutorService workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("selfstorage-shard-channel-"));
    SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().withFileSystemAccessor(new HostedSftpAccessor())
        .withSftpErrorStatusDataHandler(new HostedSftpErrors()).build();
    sftp.addSftpEventListener(new HostedSftpListener());
    // as the workers: each caller's answers go through its lane (RpcSubsystemFactory.LANE at once)
    ExecutorService rpcWorkers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("selfstorage-rpc-"));
    sshd.setSubsystemFactories(List.of(sftp, new ShardChannelFactory(workers), new RpcSubsystemFactory(rpcHandler, rpcWorkers)));

    // limits and timeouts
    CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, settings.maxAuthAttempts());
    CoreModuleProperties.AUTH_TIMEOUT.set(sshd, settings.authTimeout());
    CoreModuleProperties.IDLE_TIMEOUT.set(sshd, settings.idleTimeout());
    CoreModuleProperties.NIO2_READ_TIMEOUT.set(sshd, settings.idleTimeout().plusSeconds(15));
    CoreModuleProperties.MAX_IDENTIFICATION_SIZE.set(sshd, 1024);
    CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, 32);
    // a partner that stops reading (its window shut) makes our writes wait: not for longer than this
    CoreModuleProperties.WINDOW_TIMEOUT.set(sshd, settings.idleTimeout());
    CoreModuleProperties.WINDOW_SIZE.set(sshd, (long) settings.windowBytes());
    CoreModuleProperties.MAX_PACKET_SIZE.set(sshd, (long) settings.packetBytes());
    CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "selfstorage");
    CoreModuleProperties.TCP_NODELAY.set(sshd, true); // small replies must not wait 40 ms for delayed ACKs
    PacketPool packets = new PacketPool(settings.packetBytes());
    sshd.setSessionFactory(PooledServerSession.factory(sshd, packets));
    SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(sshd, settings.maxOpenHandles());
    SftpModuleProperties.AUTO_FOLLOW_LINKS.set(sshd, false);
    SftpModuleProperties.MAX_READDIR_DATA_SIZE.set(sshd, 256 * 1024);
    try {
      sshd.start();
    } catch (IOException e) {
      workers.shutdownNow();
      rpcWorkers.shutdownNow();
      throw new UncheckedIOException("cannot start the SSH server on " + bindHost + ":" + port + ": " + e.getMessage(), e);
    }
    return new SshAgentServer(sshd, packets, workers, rpcWorkers, partners, pending, usage, inbound);
  }

  PacketPool packets() {
    return packets;
  }

  /** Connections that have not logged in yet, for tests. */
  int pendingLogins() {
    return pending.pending();
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public int port() {
    return address().getPort();
  }

  @Override
  public InetSocketAddress address() {
    for (SocketAddress a : sshd.getBoundAddresses()) {
      if (a instanceof InetSocketAddress i) {
        return i;
      }
    }
    throw new IllegalStateException("the SSH server is not bound");
  }

  /** Open SSH sessions, authenticated or not. */
  public int sessionCount() {
    return sshd.getActiveSessions().size();
  }

  /** Open SSH sessions, for tests that inspect their settings. */
  List<? extends org.apache.sshd.common.session.Session> activeSessions() {
    return sshd.getActiveSessions();
  }

  @Override
  public void disconnect(HostedPartner partner) {
    partners.disconnectAll(sshd.getActiveSessions(), partner.root());
  }

  @Override
  public void whenRefused(java.util.function.Consumer<org.selfstorage.federation.HostedRefusal> listener) {
    partners.whenRefused(listener);
  }

  @Override
  public List<org.selfstorage.federation.UsageCorrection> recountUsage() {
    return usage.recount();
  }

  @Override
  public void limitInbound(long bytesPerSecond) {
    inbound.setRate(bytesPerSecond);
  }

  @Override
  public void quotaChanged(HostedPartner partner) {
    partners.quotaChanged(sshd.getActiveSessions(), partner);
  }

  @Override
  public void epochRaised(HostedPartner partner) {
    partners.fenceOlder(sshd.getActiveSessions(), partner);
  }

  @Override
  public void close() {
    try {
      sshd.stop(true);
    } catch (IOException e) {
      // stopping immediately; nothing left to release but the workers
    } finally {
      workers.shutdownNow();
      rpcWorkers.shutdownNow();
    }
  }
}
