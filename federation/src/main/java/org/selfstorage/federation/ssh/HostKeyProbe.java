package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerUnreachableException;

/**
 * Learns the host key an SSH server presents, without logging in: the key exchange runs up to the
 * host-key check, which records the key and refuses to go on. Nothing of ours is sent.
 */
public final class HostKeyProbe {
  private HostKeyProbe() {}

  public static HostKeyFingerprint of(PartnerAddress address, Duration timeout) {
    AtomicReference<PublicKey> seen = new AtomicReference<>();
    Ed25519Registrar.install();
    SshClient client = SshClient.setUpDefaultClient();
    SshAlgorithms.apply(client, ClientBuilder.DH2KEX);
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setServerKeyVerifier((session, remote, key) -> {
      seen.set(key);
      return false;
    });
    client.start();
    try {
      ConnectFuture f = client.connect("probe", address.host(), address.port());
      try (ClientSession s = f.verify(timeout).getSession()) {
        s.auth().await(timeout);
      } catch (IOException | RuntimeException e) {
        // refused by our own verifier, as intended; whether a key was seen decides below
      }
      PublicKey key = seen.get();
      if (key == null) {
        throw new PartnerUnreachableException("no SSH server answered at " + address + " within " + timeout.toSeconds()
            + " s", null);
      }
      return HostKeyFingerprint.ofPublicKey(Identity.publicKeyOf(key));
    } catch (IOException e) {
      throw new PartnerUnreachableException("cannot reach " + address + ": " + PlainCause.of(e, address), e);
    } finally {
      client.stop();
    }
  }
}
