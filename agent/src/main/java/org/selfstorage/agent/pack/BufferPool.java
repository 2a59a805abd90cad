package org.selfstorage.agent.pack;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large byte arrays lent out and given back, so a backup reuses a few pack and shard buffers
 * instead of allocating about 40 MiB for every pack. Arrays that size outlive a young collection
 * and are promoted; promoted garbage at that rate makes the JVM grow its heap, and the process's
 * resident memory, far past the data actually in flight.
 *
 * <p>Arrays are handed out in whole MiB, less room for the array's own header, so that buffers
 * for packs of slightly different sizes fit each other's requests, and so that each fills whole
 * heap regions. G1 gives an array of half a region or more (1 MiB regions for the agent's heap)
 * regions of its own: an array of exactly n MiB takes n + 1 of them, the last one almost empty,
 * and a 1.2 MiB chunk in a 2 MiB array took three. Contents are undefined on {@link #take}.
 * Thread-safe; keeps at most {@code keep} idle arrays and lets the garbage collector have the rest.
 */
public final class BufferPool {
  private static final int GRAIN = 1 << 20;
  /** Half a G1 region of the agent's heap: arrays from this size up get regions of their own. */
  public static final int LARGE = 512 << 10;
  /** More than an array header takes on any JVM this runs on (16 bytes with compressed class pointers). */
  private static final int HEADER_ROOM = 64;

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
    return new byte[lengthFor(size)];
  }

  /**
   * The length of the array {@link #take} gives for {@code size} bytes: at least {@code size},
   * rounded up so that the array and its header fill whole MiB.
   */
  public static int lengthFor(int size) {
    long rounded = ((long) size + HEADER_ROOM + GRAIN - 1) / GRAIN * GRAIN - HEADER_ROOM;
    return (int) Math.min(rounded, Integer.MAX_VALUE - 16);
  }

  /** The largest array length that, with its header, fits in {@code bytes} (a whole number of MiB). */
  public static int lengthWithin(int bytes) {
    return bytes - HEADER_ROOM;
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
