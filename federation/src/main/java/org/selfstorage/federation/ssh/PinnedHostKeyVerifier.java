package org.selfstorage.federation.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.selfstorage.federation.HostKeyFingerprint;

/**
 * Accepts a server's host key only if its fingerprint equals the one pinned for that connection
 * (passed in the connection context). A connection without a pin is refused: there is no
 * trust-on-first-use and no accept-all. The presented fingerprint is recorded for the error message.
 */
final class PinnedHostKeyVerifier implements ServerKeyVerifier {
  static final AttributeKey<HostKeyFingerprint> PINNED = new AttributeKey<>();
  static final AttributeKey<AtomicReference<String>> PRESENTED = new AttributeKey<>();

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
    AttributeRepository ctx = session.getConnectionContext();
    HostKeyFingerprint pinned = ctx == null ? null : ctx.getAttribute(PINNED);
    AtomicReference<String> presented = ctx == null ? null : ctx.getAttribute(PRESENTED);
    String actual = KeyUtils.getFingerPrint(serverKey);
    if (presented != null) {
      presented.set(actual);
    }
    return pinned != null && "ssh-ed25519".equals(KeyUtils.getKeyType(serverKey)) && pinned.value().equals(actual);
  }
}
