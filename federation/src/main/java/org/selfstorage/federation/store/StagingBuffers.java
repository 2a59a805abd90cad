package org.selfstorage.federation.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The aligned native buffers {@link DirectFileWriter}s stage their bytes in, kept for reuse (a
 * direct buffer is costly to allocate and is freed only by the garbage collector), and whether the
 * file system they write to takes O_DIRECT at all. One per store or hosting server: it keeps as
 * many buffers as were ever in use at once, which the writers' threads bound.
 */
public final class StagingBuffers {
  /** Large enough that a direct write streams at the disk's speed (1 MiB: 1.5 GB/s with dd here). */
  static final int SIZE = 1 << 20;
  /** Where every staging buffer starts: a multiple of any block size O_DIRECT is used with. */
  private static final int ALIGN = 1 << 16;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private volatile boolean refused;
  private volatile int alignment;

  /** Buffers for writers that try O_DIRECT first. */
  public static StagingBuffers direct() {
    return new StagingBuffers(false);
  }

  /** Buffers for writers that always go through the page cache (tests of that path). */
  public static StagingBuffers buffered() {
    return new StagingBuffers(true);
  }

  private StagingBuffers(boolean refused) {
    this.refused = refused;
  }

  /** Whether a new file at {@code file} should be opened with O_DIRECT. */
  boolean directAllowed(Path file) {
    if (refused) {
      return false;
    }
    if (alignment == 0) {
      int block;
      try {
        block = (int) Math.min(Integer.MAX_VALUE, Files.getFileStore(file.getParent()).getBlockSize());
      } catch (IOException | UnsupportedOperationException e) {
        block = -1;
      }
      // direct writes must start and end on block boundaries; a staging buffer must hold whole blocks
      if (block <= 0 || Integer.bitCount(block) != 1 || block > ALIGN) {
        refused = true;
        return false;
      }
      alignment = Math.max(block, 4096);
    }
    return true;
  }

  int alignment() {
    return alignment;
  }

  void refuseDirect() {
    refused = true;
  }

  /** Whether {@code e} is the file system refusing O_DIRECT (EINVAL), not a failing disk. */
  static boolean refusesDirect(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("Invalid argument");
  }

  synchronized ByteBuffer take() {
    ByteBuffer b = free.poll();
    if (b != null) {
      return b;
    }
    return ByteBuffer.allocateDirect(SIZE + ALIGN).alignedSlice(ALIGN).limit(SIZE).slice();
  }

  synchronized void give(ByteBuffer b) {
    b.clear();
    free.push(b);
  }
}
