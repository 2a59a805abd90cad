package org.selfstorage.federation.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one new file past the page cache (O_DIRECT) where its file system allows that, and through
 * it otherwise.
 *
 * <p>Why: a shard is written once, forced at once and seldom read again soon, so copying it into
 * the page cache buys nothing, and that copy is what a buffered write costs: on the benchmark
 * machine 1.6 GB written with {@code dd ... conv=fsync} took 3-4 s of system time buffered and
 * 0.3 s with {@code oflag=direct} (docs/design.md §10).
 *
 * <p>Bytes are gathered in an aligned staging buffer from {@link StagingBuffers} and written a
 * whole buffer at a time; {@link #finish} writes the last, partly filled block padded with zeros
 * and truncates the file to its true length. A file system that refuses O_DIRECT at open or at the
 * first write is written through the page cache instead, and its {@link StagingBuffers} remembers
 * that, so the attempt is made once per store. Not thread-safe.
 */
public final class DirectFileWriter implements Closeable {
  private final Path file;
  private final StagingBuffers buffers;
  private final ByteBuffer stage;
  private FileChannel channel;
  private boolean direct;
  private long written;
  private boolean closed;

  private DirectFileWriter(Path file, StagingBuffers buffers, FileChannel channel, boolean direct) {
    this.file = file;
    this.buffers = buffers;
    this.channel = channel;
    this.direct = direct;
    this.stage = buffers.take();
  }

  /**
   * Creates {@code file}, which must not exist yet.
   *
   * @param noFollow refuse a symbolic link planted in the file's place
   */
  public static DirectFileWriter create(Path file, StagingBuffers buffers, boolean noFollow) throws IOException {
    if (buffers.directAllowed(file)) {
      try {
        return new DirectFileWriter(file, buffers, FileChannel.open(file, options(true, noFollow)), true);
      } catch (IOException e) {
        if (!StagingBuffers.refusesDirect(e)) {
          throw e;
        }
        buffers.refuseDirect();
      }
    }
    return new DirectFileWriter(file, buffers, FileChannel.open(file, options(false, noFollow)), false);
  }

  private static OpenOption[] options(boolean direct, boolean noFollow) {
    List<OpenOption> o = new ArrayList<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    if (direct) {
      o.add(ExtendedOpenOption.DIRECT);
    }
    if (noFollow) {
      o.add(LinkOption.NOFOLLOW_LINKS);
    }
    return o.toArray(OpenOption[]::new);
  }

  /** Appends {@code b[off .. off+len)}. */
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, stage.remaining());
      stage.put(b, off, n);
      off += n;
      len -= n;
      if (!stage.hasRemaining()) {
        drain(stage.position());
      }
    }
  }

  /** The number of bytes handed to {@link #write} so far. */
  public long length() {
    return written + stage.position();
  }

  /**
   * Writes what is still staged and gives the file its exact length; returns the channel, for the
   * caller to force before it closes this writer.
   */
  public FileChannel finish() throws IOException {
    int tail = stage.position();
    long length = written + tail;
    if (tail > 0) {
      int padded = direct ? roundUp(tail, buffers.alignment()) : tail;
      for (int i = tail; i < padded; i++) {
        stage.put((byte) 0);
      }
      drain(padded);
    }
    if (channel.size() != length) {
      channel.truncate(length);
    }
    written = length;
    return channel;
  }

  private static int roundUp(int n, int to) {
    return (n + to - 1) / to * to;
  }

  /** Writes {@code stage[0 .. n)} at the current end of the file and empties the stage. */
  private void drain(int n) throws IOException {
    stage.flip().limit(n);
    try {
      writeStage();
    } catch (IOException e) {
      if (!direct || written > 0 || !StagingBuffers.refusesDirect(e)) {
        throw e;
      }
      // accepted at open but refused at the first write (some network and FUSE file systems):
      // nothing is on disk yet, so start again through the page cache
      buffers.refuseDirect();
      channel.close();
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);
      direct = false;
      stage.position(0);
      writeStage();
    }
    written += stage.limit();
    stage.clear();
  }

  private void writeStage() throws IOException {
    long pos = written;
    while (stage.hasRemaining()) {
      pos += channel.write(stage, pos);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } finally {
      buffers.give(stage);
    }
  }
}
