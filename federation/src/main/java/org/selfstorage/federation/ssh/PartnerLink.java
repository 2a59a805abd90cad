package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.HostKeyMismatchException;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.StoreUnavailableException;

/**
 * One partner's SSH session, opened on first use, reused by every operation, and opened again after
 * it drops. Also holds the session's SFTP client (one channel, opened on first use).
 */
final class PartnerLink {
  static final String USER = "selfstorage";

  private final SshClient client;
  private final Identity identity;
  final String partner;
  final PartnerAddress address;
  final HostKeyFingerprint pinned;
  private final Duration connectTimeout;
  /** Shard channels open at once on the session; the server allows {@link #MAX_CHANNELS} and more. */
  static final int MAX_CHANNELS = 8;

  private final java.util.concurrent.Semaphore channels = new java.util.concurrent.Semaphore(MAX_CHANNELS);
  private ClientSession session;
  private SftpClient sftp;

  private final long epoch;

  PartnerLink(SshClient client, Identity identity, String partner, PartnerAddress address, HostKeyFingerprint pinned,
      Duration connectTimeout, long epoch) {
    this.epoch = epoch;
    this.client = client;
    this.identity = identity;
    this.partner = partner;
    this.address = address;
    this.pinned = pinned;
    this.connectTimeout = connectTimeout;
  }

  String describe() {
    return partner + " (" + address + ", " + pinned + ")";
  }

  /** The live session, connecting first if there is none. */
  synchronized ClientSession session(Watchdog.Op op) {
    if (session != null && session.isOpen() && !session.isClosing()) {
      op.watch(session);
      return session;
    }
    dropLocked();
    session = connect(op);
    return session;
  }

  synchronized SftpClient sftp(Watchdog.Op op) throws IOException {
    ClientSession s = session(op);
    if (sftp == null || !sftp.isOpen()) {
      try {
        sftp = SftpClientFactory.instance().createSftpClient(s);
      } catch (IOException e) {
        if (s.isOpen() && !s.isClosing() && s.isAuthenticated()) {
          // the session is fine but SFTP did not open: the partner let us in only as a guest
          throw new GuardedSubsystem.RefusedException("sftp", e);
        }
        throw e;
      }
    }
    return sftp;
  }

  /**
   * The failure for a subsystem refused on a live session: the partner has no agreement for our key
   * and let us in only as a guest (which may only pair).
   */
  StoreUnavailableException refusedAsPartner(IOException e) {
    return new StoreUnavailableException("partner " + describe() + " refused our login with key "
        + identity.fingerprint() + " as a partner: it has no agreement for this key (only pairing is open to it)", e);
  }

  /** Takes a channel slot, waiting within the operation's deadline. */
  void acquireChannel(Watchdog.Op op) throws IOException {
    try {
      while (!channels.tryAcquire(25, TimeUnit.MILLISECONDS)) {
        op.check();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for a channel to partner " + partner);
    }
  }

  void releaseChannel() {
    channels.release();
  }

  /** Whether the current session (if any) is still open. */
  synchronized boolean isUsable() {
    return session != null && session.isOpen() && !session.isClosing();
  }

  /** Forgets a session that failed, so the next operation connects anew. */
  synchronized void drop() {
    dropLocked();
  }

  private void dropLocked() {
    if (sftp != null) {
      try {
        sftp.close();
      } catch (IOException ignored) {
        // the session is going too
      }
      sftp = null;
    }
    if (session != null) {
      session.close(true);
      session = null;
    }
  }

  private ClientSession connect(Watchdog.Op op) {
    AtomicReference<String> presented = new AtomicReference<>();
    AttributeRepository ctx = AttributeRepository.ofAttributesMap(
        Map.of(PinnedHostKeyVerifier.PINNED, pinned, PinnedHostKeyVerifier.PRESENTED, presented));
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    ClientSession s = null;
    try {
      ConnectFuture cf = client.connect(epoch > 0 ? USER + "-e" + epoch : USER, address.host(), address.port(), ctx,
          null);
      if (!cf.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        cf.cancel();
        throw new PartnerUnreachableException("partner " + describe() + ": no TCP connection within "
            + connectTimeout.toSeconds() + " s", null);
      }
      if (cf.getException() != null) {
        throw new PartnerUnreachableException("partner " + describe() + " cannot be reached: "
            + PlainCause.of(cf.getException(), address), cf.getException());
      }
      s = cf.getSession();
      op.watch(s);
      s.addPublicKeyIdentity(identity.keyPair());
      AuthFuture af = s.auth();
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      boolean done = af.await(left, TimeUnit.MILLISECONDS);
      checkHostKey(presented);
      if (!done) {
        throw new PartnerUnreachableException("partner " + describe() + " accepted the connection but did not complete "
            + "the SSH handshake within " + connectTimeout.toSeconds() + " s", null);
      }
      if (!af.isSuccess()) {
        if (!s.isOpen() || s.isClosing() || presented.get() == null) {
          throw new PartnerUnreachableException("partner " + describe() + " closed the connection during the handshake",
              af.getException());
        }
        throw new StoreUnavailableException("partner " + describe() + " refused our login with key "
            + identity.fingerprint() + ": it has no agreement for this key", af.getException());
      }
      return s;
    } catch (IOException e) {
      checkHostKey(presented);
      throw new PartnerUnreachableException("partner " + describe() + " cannot be reached: "
          + PlainCause.of(e, address), e);
    } catch (RuntimeException e) {
      if (s != null) {
        s.close(true);
      }
      throw e;
    } finally {
      if (s != null && (!s.isOpen() || !s.isAuthenticated())) {
        s.close(true);
      }
    }
  }

  private void checkHostKey(AtomicReference<String> presented) {
    String p = presented.get();
    if (p != null && !p.equals(pinned.value())) {
      throw new HostKeyMismatchException(partner, p, pinned);
    }
  }
}
