package org.selfstorage.federation.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.AgreementLookup;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.hosted.HostedSession;
import org.selfstorage.federation.hosted.HostedUsage;

/**
 * Lets in exactly the keys the agreements name, and binds each authenticated session to its partner.
 * The SSH user name is ignored: a partner is its key. Sessions per partner are capped: a login past
 * the cap is refused while the cap is visibly reached, and a session that races past it is
 * disconnected as soon as it authenticates. When a session ends, its unpublished temporary files are
 * deleted.
 */
final class PartnerAuthenticator implements PublickeyAuthenticator, SessionListener {
  private static final AttributeKey<String> COUNTED = new AttributeKey<>();

  private final AgreementLookup lookup;
  private final HostedUsage usage;
  private final int maxSessionsPerPartner;
  private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();

  PartnerAuthenticator(AgreementLookup lookup, HostedUsage usage, int maxSessionsPerPartner) {
    this.lookup = lookup;
    this.usage = usage;
    this.maxSessionsPerPartner = maxSessionsPerPartner;
  }

  private Optional<HostedPartner> partnerOf(PublicKey key) {
    byte[] raw;
    try {
      raw = Identity.publicKeyOf(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not Ed25519 (RSA, ECDSA, certificates): never a partner
    }
    return lookup.partnerFor(raw);
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    Optional<HostedPartner> p = partnerOf(key);
    if (p.isEmpty()) {
      return false;
    }
    AtomicInteger n = sessions.get(key(p.get()));
    return n == null || n.get() < maxSessionsPerPartner;
  }

  private static String key(HostedPartner p) {
    return p.root().toString();
  }

  @Override
  public void sessionEvent(Session session, Event event) {
    if (event != Event.Authenticated || !(session instanceof ServerSession)) {
      return;
    }
    List<PublicKey> keys = session.getAttribute(UserAuthPublicKey.AUTHENTICATED_KEYS);
    Optional<HostedPartner> p = keys == null || keys.isEmpty() ? Optional.empty() : partnerOf(keys.get(keys.size() - 1));
    if (p.isEmpty()) {
      disconnect(session, "no agreement for this key");
      return;
    }
    HostedPartner partner = p.get();
    String k = key(partner);
    int now = sessions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
    session.setAttribute(COUNTED, k);
    if (now > maxSessionsPerPartner) {
      disconnect(session, "too many sessions for partner " + partner.name());
      return;
    }
    session.setAttribute(HostedSession.KEY, new HostedSession(partner, usage.of(partner.root())));
  }

  private static void disconnect(Session session, String why) {
    try {
      session.disconnect(SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS, why);
    } catch (java.io.IOException e) {
      session.close(true);
    }
  }

  @Override
  public void sessionClosed(Session session) {
    String k = session.removeAttribute(COUNTED);
    if (k != null) {
      sessions.computeIfPresent(k, (x, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
    HostedSession hs = session.getAttribute(HostedSession.KEY);
    if (hs != null) {
      hs.discardPending();
    }
  }

  /** Closes every session of partners whose hosted directory is {@code root}. */
  void disconnectAll(List<? extends Session> active, java.nio.file.Path root) {
    for (Session s : active) {
      HostedSession hs = s.getAttribute(HostedSession.KEY);
      if (hs != null && hs.hostRoot().equals(root.normalize())) {
        s.close(true);
      }
    }
  }
}
