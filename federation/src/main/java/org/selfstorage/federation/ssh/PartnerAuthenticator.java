package org.selfstorage.federation.ssh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.AgreementLookup;
import org.selfstorage.federation.Durability;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.HostedRefusal;
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.hosted.HostedSession;
import org.selfstorage.federation.hosted.HostedUsage;
import org.selfstorage.federation.rpc.RpcPeer;

/**
 * Decides who logs in, and binds each authenticated session to its peer. The SSH user name is
 * ignored: a peer is its key.
 *
 * <ul>
 *   <li>A key the agreements name logs in as that partner. Sessions per partner are capped: a login
 *       past the cap is refused while the cap is visibly reached, and a session that races past it
 *       is disconnected as soon as it authenticates. When a session ends, its unpublished temporary
 *       files are deleted.
 *   <li>Any other Ed25519 key logs in as a guest, which may only open the RPC subsystem and call
 *       {@code pair}: admitted by a {@link GuestLimiter} (per address and in all, per minute), one
 *       session per key, at most {@link #MAX_GUEST_SESSIONS} guest sessions at once, idle timeout at
 *       most {@link #GUEST_IDLE_TIMEOUT}.
 *   <li>Other keys (RSA, ECDSA, certificates) never log in.
 * </ul>
 */
final class PartnerAuthenticator implements PublickeyAuthenticator, SessionListener {
  static final Duration GUEST_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** Channels a guest session may have open at once (MINA refuses more). */
  static final int GUEST_CHANNELS = 4;
  /** Guest sessions open at once: traffic keeps a session from idling out, so admissions alone do not bound them. */
  static final int MAX_GUEST_SESSIONS = ServerSettings.GUEST_LOGINS_PER_MINUTE_GLOBAL;

  private static final AttributeKey<String> COUNTED = new AttributeKey<>();
  private static final AttributeKey<String> GUEST_COUNTED = new AttributeKey<>();
  /** Guest keys this session was admitted for: MINA asks twice per key (query, then signature). */
  private static final AttributeKey<Set<String>> GUEST_ADMITTED = new AttributeKey<>();

  private final AgreementLookup lookup;
  private final HostedUsage usage;
  private final InboundPacers inbound;
  private final Durability durability;
  private final int maxSessionsPerPartner;
  private final Duration guestIdle;
  private final GuestLimiter guestLimiter;
  private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> guests = new ConcurrentHashMap<>();
  private final AtomicInteger guestSessions = new AtomicInteger();
  private volatile java.util.function.Consumer<HostedRefusal> refusals = r -> {};

  PartnerAuthenticator(AgreementLookup lookup, HostedUsage usage, InboundPacers inbound, ServerSettings settings) {
    this.lookup = lookup;
    this.usage = usage;
    this.inbound = inbound;
    this.durability = settings.durability();
    this.maxSessionsPerPartner = settings.maxSessionsPerPartner();
    this.guestIdle = settings.idleTimeout().compareTo(GUEST_IDLE_TIMEOUT) < 0 ? settings.idleTimeout() : GUEST_IDLE_TIMEOUT;
    this.guestLimiter = new GuestLimiter(settings.pairingAttemptsPerMinute(), ServerSettings.GUEST_LOGINS_PER_MINUTE_GLOBAL);
  }

  /** The raw Ed25519 key, or null for any other kind (RSA, ECDSA, certificates). */
  private static byte[] ed25519(PublicKey key) {
    try {
      return Identity.publicKeyOf(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    byte[] raw = ed25519(key);
    if (raw == null) {
      return false;
    }
    Optional<HostedPartner> p = lookup.partnerFor(raw);
    if (p.isPresent()) {
      AtomicInteger n = sessions.get(key(p.get()));
      if (n != null && n.get() >= maxSessionsPerPartner) {
        refusals.accept(new HostedRefusal.Sessions(p.get().name(), maxSessionsPerPartner));
        return false;
      }
      return true;
    }
    String k = HexFormat.of().formatHex(raw);
    InetAddress from = session.getClientAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (guests.containsKey(k)) {
      return refuseStranger(from, "a key with no agreement may hold one session");
    }
    if (guestSessions.get() >= MAX_GUEST_SESSIONS) {
      return refuseStranger(from, MAX_GUEST_SESSIONS + " sessions with keys that have no agreement are open");
    }
    Set<String> admitted = session.computeAttributeIfAbsent(GUEST_ADMITTED, x -> ConcurrentHashMap.newKeySet());
    if (admitted.contains(k)) {
      return true;
    }
    if (from == null) {
      return false;
    }
    if (!guestLimiter.tryAdmit(from)) {
      return refuseStranger(from, "more than " + guestLimiter.perAddress() + " logins a minute from one address, or "
          + ServerSettings.GUEST_LOGINS_PER_MINUTE_GLOBAL + " from all, with keys that have no agreement");
    }
    admitted.add(k);
    return true;
  }

  private boolean refuseStranger(InetAddress from, String why) {
    if (from != null) {
      refusals.accept(new HostedRefusal.Strangers(from.getHostAddress(), why));
    }
    return false;
  }

  /** The epoch a client declares in its user name ({@code selfstorage-e3}); 0 when it declares none. */
  static long declaredEpoch(String username) {
    if (username != null && username.startsWith(PartnerLink.USER + "-e")) {
      try {
        return Long.parseLong(username.substring(PartnerLink.USER.length() + 2));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
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
    byte[] raw = keys == null || keys.isEmpty() ? null : ed25519(keys.get(keys.size() - 1));
    if (raw == null) {
      disconnect(session, "no agreement for this key");
      return;
    }
    Optional<HostedPartner> p = lookup.partnerFor(raw);
    if (p.isEmpty()) {
      becomeGuest(session, raw);
      return;
    }
    HostedPartner partner = p.get();
    String k = key(partner);
    int now = sessions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
    session.setAttribute(COUNTED, k);
    if (now > maxSessionsPerPartner) {
      refusals.accept(new HostedRefusal.Sessions(partner.name(), maxSessionsPerPartner));
      disconnect(session, "too many sessions for partner " + partner.name());
      return;
    }
    boolean fenced = declaredEpoch(session.getUsername()) < partner.epoch();
    session.setAttribute(HostedSession.KEY, new HostedSession(partner, usage.of(partner.root()), fenced, durability,
        r -> refusals.accept(r), inbound.of(partner.root())));
    session.setAttribute(RpcPeer.KEY, new RpcPeer(p, raw));
  }

  /** Where refusals of every session go from now on, also of sessions open already. */
  void whenRefused(java.util.function.Consumer<HostedRefusal> listener) {
    refusals = java.util.Objects.requireNonNull(listener);
  }

  private void becomeGuest(Session session, byte[] raw) {
    String k = HexFormat.of().formatHex(raw);
    Set<String> admitted = session.getAttribute(GUEST_ADMITTED);
    if (admitted == null || !admitted.contains(k)) {
      // logged in as a partner whose agreement went away in the meantime: not admitted as a guest
      disconnect(session, "no agreement for this key");
      return;
    }
    int now = guests.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
    session.setAttribute(GUEST_COUNTED, k);
    if (guestSessions.incrementAndGet() > MAX_GUEST_SESSIONS || now > 1) {
      disconnect(session, "a key with no agreement may hold one session");
      return;
    }
    CoreModuleProperties.IDLE_TIMEOUT.set(session, guestIdle);
    // pairing is one call: with 32 channels each, 60 guests could hold 1,920 calls half-sent
    // (MINA refuses a channel only when more than its setting are open: the setting is one less)
    CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(session, GUEST_CHANNELS - 1);
    session.setAttribute(RpcPeer.KEY, new RpcPeer(Optional.empty(), raw));
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
    String g = session.removeAttribute(GUEST_COUNTED);
    if (g != null) {
      guests.computeIfPresent(g, (x, n) -> n.decrementAndGet() <= 0 ? null : n);
      guestSessions.decrementAndGet();
    }
    HostedSession hs = session.getAttribute(HostedSession.KEY);
    if (hs != null) {
      hs.discardPending();
    }
  }

  /** Closes every session of partners whose hosted directory is {@code root}. */
  void disconnectAll(List<? extends Session> active, java.nio.file.Path root) {
    forEachOf(active, root, (s, hs) -> s.close(true));
  }

  /** Gives the partner's live sessions its new quota (a login from now on reads it from the lookup). */
  void quotaChanged(List<? extends Session> active, HostedPartner partner) {
    forEachOf(active, partner.root(), (s, hs) -> hs.changeQuota(partner.quotaBytes()));
  }

  /** Closes the partner's sessions that may still change things but declared an older epoch than it has now. */
  void fenceOlder(List<? extends Session> active, HostedPartner partner) {
    forEachOf(active, partner.root(), (s, hs) -> {
      if (!hs.fenced() && declaredEpoch(s.getUsername()) < partner.epoch()) {
        s.close(true);
      }
    });
  }

  private static void forEachOf(List<? extends Session> active, java.nio.file.Path root,
      java.util.function.BiConsumer<Session, HostedSession> action) {
    for (Session s : active) {
      HostedSession hs = s.getAttribute(HostedSession.KEY);
      if (hs != null && hs.hostRoot().equals(root.normalize())) {
        action.accept(s, hs);
      }
    }
  }
}
