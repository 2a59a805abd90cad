package org.selfstorage.federation.ssh;

import java.io.InterruptedIOException;

/**
 * Keeps shard uploads within a rate: ours, of one {@link SshPartnerConnections} (every partner, every
 * thread: {@code upload.max-rate}, so that a backup does not take a home's whole uplink) and to one
 * partner (the limit it told us at hello), and on the host, one partner's uploads to us
 * ({@code hosting.max-rate}). The generic cell rate algorithm: a piece of {@code n} bytes may go once
 * the schedule of the pieces before it allows, with a quarter of a second of burst; the long-run rate
 * is the limit. 0 means no limit.
 */
public final class UploadPacer {
  private static final long BURST_NANOS = 250_000_000L;

  private volatile long bytesPerSecond;
  /** When the bytes scheduled so far have all gone at the limit (System.nanoTime). */
  private long due = System.nanoTime();

  public void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("a rate cannot be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  public boolean limited() {
    return bytesPerSecond > 0;
  }

  /**
   * Schedules {@code bytes} more and returns how many nanoseconds the caller must wait before
   * sending them (0 without a limit, or within the burst).
   */
  public long reserve(int bytes) {
    long rate = bytesPerSecond;
    if (rate <= 0 || bytes <= 0) {
      return 0;
    }
    synchronized (this) {
      long now = System.nanoTime();
      long go = Math.max(now, due - BURST_NANOS);
      due = Math.max(due, go) + (long) (bytes * 1e9 / rate);
      return go - now;
    }
  }

  /** Schedules {@code bytes} under both pacers; the caller waits for the later of the two. */
  static long reserve(int bytes, UploadPacer first, UploadPacer second) {
    return Math.max(first.reserve(bytes), second.reserve(bytes));
  }

  public static void sleep(long nanos) throws InterruptedIOException {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pacing an upload");
    }
  }
}
