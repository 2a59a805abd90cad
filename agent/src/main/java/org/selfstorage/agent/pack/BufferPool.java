package org.selfstorage.agent.pack;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large byte arrays lent out and given back, so a backup reuses a few pack and shard buffers
 * instead of allocating about 40 MiB for every pack. Arrays that size outlive a young collection
 * and are promoted; promoted garbage at that rate makes the JVM grow its heap, and the process's
 * resident memory, far past the data actually in flight.
 *
 * <p>Arrays are handed out in whole MiB so that buffers for packs of slightly different sizes fit
 * each other's requests. Contents are undefined on {@link #take}. Thread-safe; keeps at most
 * {@code keep} idle arrays and lets the garbage collector have the rest.
 */
public final class BufferPool {
  private static final int GRAIN = 1 << 20;

  private final int keep;
  private final ArrayDeque<byte[]> idle = new ArrayDeque<>();

  public BufferPool(int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep must not be negative: " + keep);
    }
    this.keep = keep;
  }

  /** An array of at least {@code size} bytes. */
  public byte[] take(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    synchronized (idle) {
      for (Iterator<byte[]> it = idle.iterator(); it.hasNext(); ) {
        byte[] b = it.next();
        if (b.length >= size) {
          it.remove();
          return b;
        }
      }
      // none is large enough: drop one, or the pool would fill with arrays that never fit
      idle.pollLast();
    }
    long rounded = ((long) size + GRAIN - 1) / GRAIN * GRAIN;
    return new byte[(int) Math.min(rounded, Integer.MAX_VALUE - 16)];
  }

  /** Gives an array back; the caller must not touch it afterwards. {@code null} is ignored. */
  public void give(byte[] b) {
    if (b == null) {
      return;
    }
    synchronized (idle) {
      if (idle.size() < keep) {
        idle.push(b);
      }
    }
  }

  /** Idle arrays, for tests. */
  int idle() {
    synchronized (idle) {
      return idle.size();
    }
  }
}
