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
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.hosted.HostedFileSystemFactory;
import org.selfstorage.federation.hosted.HostedSftpAccessor;
import org.selfstorage.federation.hosted.HostedSftpListener;
import org.selfstorage.federation.hosted.HostedUsage;
import org.selfstorage.federation.hosted.ShardChannelFactory;

/**
 * The agent's SSH server: MINA set up so that a partner can do exactly two things, open the SFTP
 * subsystem confined to its hosted directory, or open the shard channel. docs/federation.md lists
 * every setting and why.
 */
public final class SshAgentServer implements AgentServer {
  private final SshServer sshd;
  private final ExecutorService workers;
  private final PartnerAuthenticator partners;

  private SshAgentServer(SshServer sshd, ExecutorService workers, PartnerAuthenticator partners) {
    this.sshd = sshd;
    this.workers = workers;
    this.partners = partners;
  }

  public static SshAgentServer start(String bindHost, int port, Identity identity, AgreementLookup lookup,
      ServerSettings settings) {
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost(bindHost);
    sshd.setPort(port);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(identity.keyPair()));
    SshAlgorithms.apply(sshd, ServerBuilder.DH2KEX);

    // authentication: public keys named by an agreement, nothing else
    HostedUsage usage = new HostedUsage();
    PartnerAuthenticator partners = new PartnerAuthenticator(lookup, usage, settings.maxSessionsPerPartner());
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    sshd.setPublickeyAuthenticator(partners);
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.addSessionListener(partners);

    // what an authenticated partner may open: session channels carrying one of two subsystems
    sshd.setShellFactory(null);
    sshd.setCommandFactory(null);
    sshd.setAgentFactory(null);
    sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    sshd.setChannelFactories(List.of(PartnerChannelSession.FACTORY));
    sshd.setGlobalRequestHandlers(List.of(KeepAliveHandler.INSTANCE));
    sshd.setFileSystemFactory(new HostedFileSystemFactory());
    ExecutorService workers = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        daemonThreads("selfstorage-shard-channel-"));
    SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().withFileSystemAccessor(new HostedSftpAccessor()).build();
    sftp.addSftpEventListener(new HostedSftpListener());
    sshd.setSubsystemFactories(List.of(sftp, new ShardChannelFactory(workers)));

    // limits and timeouts
    CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, settings.maxAuthAttempts());
    CoreModuleProperties.AUTH_TIMEOUT.set(sshd, settings.authTimeout());
    CoreModuleProperties.IDLE_TIMEOUT.set(sshd, settings.idleTimeout());
    CoreModuleProperties.NIO2_READ_TIMEOUT.set(sshd, settings.idleTimeout().plusSeconds(15));
    CoreModuleProperties.MAX_IDENTIFICATION_SIZE.set(sshd, 1024);
    CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, 32);
    CoreModuleProperties.WINDOW_SIZE.set(sshd, (long) settings.windowBytes());
    CoreModuleProperties.MAX_PACKET_SIZE.set(sshd, (long) settings.packetBytes());
    CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "selfstorage");
    CoreModuleProperties.TCP_NODELAY.set(sshd, true); // small replies must not wait 40 ms for delayed ACKs
    SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(sshd, settings.maxOpenHandles());
    SftpModuleProperties.AUTO_FOLLOW_LINKS.set(sshd, false);
    SftpModuleProperties.MAX_READDIR_DATA_SIZE.set(sshd, 256 * 1024);
    try {
      sshd.start();
    } catch (IOException e) {
      workers.shutdownNow();
      throw new UncheckedIOException("cannot start the SSH server on " + bindHost + ":" + port + ": " + e.getMessage(), e);
    }
    return new SshAgentServer(sshd, workers, partners);
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

  @Override
  public void disconnect(org.selfstorage.federation.HostedPartner partner) {
    partners.disconnectAll(sshd.getActiveSessions(), partner.root());
  }

  @Override
  public void close() {
    try {
      sshd.stop(true);
    } catch (IOException e) {
      // stopping immediately; nothing left to release but the workers
    } finally {
      workers.shutdownNow();
    }
  }
}
