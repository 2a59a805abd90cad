package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.RpcClient;
import org.selfstorage.federation.ShardStore;

/**
 * The client side: one MINA client for all partners, one session per partner (opened on first use,
 * reused, reopened after a failure), the host key pinned per partner, our identity as the only key,
 * nothing read from {@code ~/.ssh} or an SSH agent.
 */
public final class SshPartnerConnections implements PartnerConnections {
  private final SshClient client;
  private final Identity identity;
  private final ClientSettings settings;
  private final Watchdog watchdog;
  private final UploadPacer pacer = new UploadPacer();
  private final Map<String, UploadPacer> partnerPacers = new ConcurrentHashMap<>();
  private final Map<String, PartnerLink> links = new ConcurrentHashMap<>();
  private final PacketPool packets;

  private SshPartnerConnections(SshClient client, PacketPool packets, Identity identity, ClientSettings settings,
      Watchdog watchdog) {
    this.client = client;
    this.packets = packets;
    this.identity = identity;
    this.settings = settings;
    this.watchdog = watchdog;
  }

  public static SshPartnerConnections open(Identity identity, ClientSettings settings) {
    Ed25519Registrar.install();
    SshClient client = SshClient.setUpDefaultClient();
    SshAlgorithms.apply(client, ClientBuilder.DH2KEX);
    client.setServerKeyVerifier(new PinnedHostKeyVerifier());
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    client.setAgentFactory(null);
    CoreModuleProperties.WINDOW_SIZE.set(client, (long) settings.windowBytes());
    CoreModuleProperties.MAX_PACKET_SIZE.set(client, (long) settings.packetBytes());
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, java.time.Duration.ofSeconds(30));
    CoreModuleProperties.MAX_IDENTIFICATION_SIZE.set(client, 1024);
    CoreModuleProperties.TCP_NODELAY.set(client, true); // small replies must not wait 40 ms for delayed ACKs
    PacketPool packets = new PacketPool(settings.packetBytes());
    client.setSessionFactory(PooledClientSession.factory(client, packets));
    client.start();
    return new SshPartnerConnections(client, packets, identity, settings,
        new Watchdog(settings.stallTimeout(), settings.minBytesPerSecond()));
  }

  @Override
  public ShardStore shardStore(String partner, PartnerAddress address, HostKeyFingerprint pinned) {
    return new SshShardStore(link(partner, address, pinned), watchdog, settings, pacer, partnerPacer(partner));
  }

  @Override
  public RpcClient rpc(String partner, PartnerAddress address, HostKeyFingerprint pinned) {
    return new SshRpcClient(link(partner, address, pinned), watchdog);
  }

  /** The partner's link, replaced (and the old session dropped) if its address or pin changed. */
  private PartnerLink link(String partner, PartnerAddress address, HostKeyFingerprint pinned) {
    return links.compute(partner, (k, old) -> {
      if (old != null && old.address.equals(address) && old.pinned.equals(pinned)) {
        return old;
      }
      if (old != null) {
        old.drop();
      }
      return new PartnerLink(client, identity, partner, address, pinned, settings.connectTimeout(), settings.epoch());
    });
  }

  PacketPool packets() {
    return packets;
  }

  @Override
  public void limitUploads(long bytesPerSecond) {
    pacer.setRate(bytesPerSecond);
  }

  @Override
  public void limitUploads(String partner, long bytesPerSecond) {
    partnerPacer(partner).setRate(bytesPerSecond);
  }

  private UploadPacer partnerPacer(String partner) {
    return partnerPacers.computeIfAbsent(partner, p -> new UploadPacer());
  }

  @Override
  public void disconnect(String partner) {
    PartnerLink link = links.get(partner);
    if (link != null) {
      link.drop();
    }
  }

  @Override
  public void close() {
    links.values().forEach(PartnerLink::drop);
    links.clear();
    watchdog.close();
    try {
      client.stop();
    } catch (RuntimeException e) {
      // closing anyway
    }
    try {
      client.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
