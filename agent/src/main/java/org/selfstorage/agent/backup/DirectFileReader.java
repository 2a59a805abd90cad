package org.selfstorage.agent.backup;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one file from start to end past the page cache (O_DIRECT) where its file system allows
 * that, and through it otherwise.
 *
 * <p>Why: a backup reads each large file once, so copying it through the page cache buys nothing
 * and evicts what the machine's own work keeps there; that copy is also most of what a read costs
 * the kernel. On the benchmark machine, reading the data set's 29 files over 4 MiB (832 MB, cold
 * cache) with {@code dd bs=1M} took 0.44 s of system time buffered and 0.09 s with {@code
 * iflag=direct}, and less wall time (0.79 against 0.90 s).
 *
 * <p>The file is read in whole {@link #STEP}s at aligned offsets into an aligned native buffer and
 * handed out from there in whatever sizes the caller asks for. A short read ends the file; if the
 * file is longer than that (a file system that returned less for its own reasons), or a direct
 * read fails, the rest is read through the page cache from where the direct reads stopped, so no
 * byte is skipped. A file system that refuses O_DIRECT at open is read through the cache from the
 * start. Not thread-safe; one file at a time per {@code stage} buffer.
 */
final class DirectFileReader implements ReadableByteChannel {
  /** Bytes per direct read: 1 MiB read as fast as larger reads with dd here (0.79 s vs 0.96 s). */
  static final int STEP = 1 << 20;
  /** Where the stage buffer starts: a multiple of any block size O_DIRECT is used with. */
  private static final int ALIGN = 1 << 16;

  private final Path path;
  private final FileChannel direct;
  private final ByteBuffer stage;
  private FileChannel buffered;
  private long position;
  private boolean eof;

  /** Reads {@code path} through {@code direct}, a channel opened on it with O_DIRECT (tests: any channel). */
  DirectFileReader(Path path, FileChannel direct, ByteBuffer stage) {
    this.path = path;
    this.direct = direct;
    this.stage = stage;
    stage.clear().limit(0); // nothing staged yet
  }

  /** A native buffer for {@link #open}: {@link #STEP} bytes at an aligned address. */
  static ByteBuffer newStage() {
    return ByteBuffer.allocateDirect(STEP + ALIGN).alignedSlice(ALIGN).limit(STEP).slice();
  }

  /**
   * Opens {@code path} (not following a symbolic link) for reading past the page cache, or as a
   * plain channel where the file system does not take O_DIRECT.
   */
  static ReadableByteChannel open(Path path, ByteBuffer stage) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException e) {
      // tmpfs and some network file systems refuse O_DIRECT (EINVAL); a file that cannot be opened
      // at all fails again below, with the error that says why
      return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
    return new DirectFileReader(path, ch, stage);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (!stage.hasRemaining() && buffered == null && !eof) {
      fill();
    }
    if (!stage.hasRemaining()) {
      return buffered != null ? buffered.read(dst) : -1;
    }
    int n = Math.min(stage.remaining(), dst.remaining());
    int limit = stage.limit();
    stage.limit(stage.position() + n);
    dst.put(stage);
    stage.limit(limit);
    return n;
  }

  /** Reads the next step into the stage; after a short read, the file has ended or goes on buffered. */
  private void fill() throws IOException {
    stage.clear();
    int n;
    try {
      n = direct.read(stage, position);
    } catch (java.nio.channels.ClosedChannelException e) {
      throw e; // closed, or this thread interrupted: the read is being given up, not retried
    } catch (IOException e) {
      stage.limit(0);
      continueBuffered(e);
      return;
    }
    if (n > 0) {
      stage.flip();
      position += n;
    } else {
      stage.limit(0);
    }
    if (n < STEP) {
      // the next direct read would start off the block grid: the file ends here, or the rest
      // is read through the page cache
      if (position < direct.size()) {
        continueBuffered(null);
      } else {
        eof = true;
      }
    }
  }

  private void continueBuffered(IOException directFailure) throws IOException {
    try {
      buffered = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS).position(position);
    } catch (IOException e) {
      if (directFailure != null) {
        e.addSuppressed(directFailure);
      }
      throw e;
    }
  }

  @Override
  public boolean isOpen() {
    return direct.isOpen();
  }

  @Override
  public void close() throws IOException {
    try {
      direct.close();
    } finally {
      if (buffered != null) {
        buffered.close();
      }
    }
  }
}
