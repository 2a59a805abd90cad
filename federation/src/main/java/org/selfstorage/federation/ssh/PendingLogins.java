package org.selfstorage.federation.ssh;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Caps the connections that have not logged in yet, as OpenSSH's MaxStartups does: each holds
 * memory and a key exchange until it logs in or its auth timeout ends it, so without a cap a flood
 * of silent connections could exhaust the server. A connection over the cap is closed as its
 * session is made, before any key exchange; sessions already logged in are not affected.
 *
 * <p>Refusing in {@link #sessionCreated} (MINA then closes the connection) rather than when the
 * connection is accepted: MINA 2.20 leaves the socket open when its accept listener refuses one.
 * The acceptor makes sessions on one thread, one after the other, so the check and the count do
 * not race each other. Register this listener first: when it refuses, later ones are not told of
 * the session at all.
 */
final class PendingLogins implements SessionListener {
  /** Set on a session while it counts as pending; removed when it logs in or closes. */
  private static final AttributeKey<Boolean> PENDING = new AttributeKey<>();

  private final int max;
  private final AtomicInteger pending = new AtomicInteger();

  PendingLogins(int max) {
    this.max = max;
  }

  @Override
  public void sessionCreated(Session session) {
    if (pending.get() >= max) {
      throw new IllegalStateException("refused " + session.getRemoteAddress() + ": " + max
          + " connections are logging in already");
    }
    session.setAttribute(PENDING, Boolean.TRUE);
    pending.incrementAndGet();
  }

  @Override
  public void sessionEvent(Session session, Event event) {
    if (event == Event.Authenticated) {
      release(session);
    }
  }

  @Override
  public void sessionClosed(Session session) {
    release(session);
  }

  private void release(Session session) {
    if (session.removeAttribute(PENDING) != null) {
      pending.decrementAndGet();
    }
  }

  /** Connections logging in now, for tests. */
  int pending() {
    return pending.get();
  }
}
