package org.selfstorage.federation.ssh;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.session.Session;

/**
 * Gives every network operation a deadline. An operation that moves no byte for {@code stall}, or
 * runs longer than {@code stall + bytes / minRate}, is expired: its session is closed at once, which
 * wakes whatever thread waits on it (a socket read, a window, an SFTP reply), and the operation
 * reports {@code PARTNER_UNREACHABLE}. MINA's own waits are not relied on: several wait forever.
 */
final class Watchdog implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final long stallNanos;
  private final long minBytesPerSecond;
  private final Set<Op> ops = ConcurrentHashMap.newKeySet();

  Watchdog(Duration stall, long minBytesPerSecond) {
    this.stallNanos = stall.toNanos();
    this.minBytesPerSecond = minBytesPerSecond;
    this.timer = Executors.newSingleThreadScheduledExecutor(SshAgentServer.daemonThreads("selfstorage-deadlines-"));
    long tick = Math.max(20, Math.min(500, stall.toMillis() / 5));
    timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  Duration stall() {
    return Duration.ofNanos(stallNanos);
  }

  /** Starts watching an operation that will move about {@code bytes} bytes. */
  Op begin(String what, long bytes) {
    Op op = new Op(what, stallNanos + (long) (Math.max(0, bytes) * 1e9 / minBytesPerSecond));
    ops.add(op);
    return op;
  }

  private void tick() {
    long now = System.nanoTime();
    for (Op op : ops) {
      if (now - op.last > stallNanos || now - op.start > op.allowance) {
        op.expire();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One watched operation; close it when done. */
  final class Op implements AutoCloseable {
    final String what;
    final long start = System.nanoTime();
    volatile long allowance;
    volatile long last = start;
    private volatile Session session;
    private volatile boolean expired;

    Op(String what, long allowance) {
      this.what = what;
      this.allowance = allowance;
    }

    /** The session this operation runs on; it is closed if the operation expires. */
    void watch(Session s) {
      this.session = s;
      if (expired && s != null) {
        s.close(true);
      }
    }

    /** Widens the deadline once the size of a transfer is known (a download's length). */
    void expect(long bytes) {
      allowance = stallNanos + (long) (Math.max(0, bytes) * 1e9 / minBytesPerSecond);
    }

    void progress() {
      last = System.nanoTime();
    }

    /** Time spent waiting for our own upload limit: not the partner's to answer for. */
    void excuse(long nanos) {
      allowance += nanos;
      last = System.nanoTime();
    }

    boolean expired() {
      return expired;
    }

    /** Fails fast if expired; call in wait loops. */
    void check() throws DeadlineException {
      if (expired) {
        throw new DeadlineException(what);
      }
    }

    private void expire() {
      expired = true;
      ops.remove(this);
      Session s = session;
      if (s != null) {
        s.close(true);
      }
    }

    long elapsedMillis() {
      return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
      ops.remove(this);
    }
  }

  /** An operation ran past its deadline. */
  /**
   * Opens a channel, or fails with a {@link DeadlineException} when the partner does not confirm it
   * within {@code within} (a paused partner): callers report that like any stall, in plain words,
   * rather than MINA's "Failed to get operation result within specified timeout".
   */
  static void open(org.apache.sshd.client.channel.ClientChannel ch, Duration within) throws java.io.IOException {
    org.apache.sshd.client.future.OpenFuture f = ch.open();
    if (!f.await(within.toMillis())) {
      f.cancel();
      throw new DeadlineException("opening a channel");
    }
    if (!f.isOpened()) {
      Throwable t = f.getException();
      throw t instanceof java.io.IOException io ? io : new java.io.IOException("the partner did not open the channel", t);
    }
  }

  static final class DeadlineException extends java.io.IOException {
    DeadlineException(String what) {
      super(what + " made no progress within its deadline");
    }
  }
}
