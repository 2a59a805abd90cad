package org.selfstorage.agent.chunk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.selfstorage.agent.pack.BufferPool;

/**
 * Streams a channel through a {@link Chunker} and hands each chunk to a {@link ChunkSink}.
 *
 * <p>One buffer of about {@code 2 * max} bytes is allocated on first use and reused for every stream
 * after it (a backup reads tens of thousands of small files, and a fresh 8 MiB buffer for each
 * one costs more than reading them): the reader fills it with large reads (at least {@code max}
 * bytes of free space each time), cuts while at least {@code max} bytes are buffered, then moves
 * the unread tail to the front. Not thread-safe: one reader per thread. The channel must be
 * blocking.
 *
 * <p>Given a filler executor, a stream longer than the buffer is read ahead on the filler's thread
 * into a second buffer while the caller cuts and its sink works: in a backup, the kernel's copy of
 * a large file's bytes out of the page cache was a fifth of the reading thread's time, and that
 * thread sets the pace once the small files are done. Each fill goes to the second half of the
 * other buffer; the unread tail of the current one (under {@code max} bytes) is copied in front of
 * it, so the chunker always sees one contiguous stretch and cuts exactly where it would reading
 * alone.
 */
public final class ChunkReader {

  private static final int READ_STEP = 1 << 20;

  private final Chunker chunker;
  private final ExecutorService filler;
  private byte[] buf;
  private byte[] spare;

  /** 2 * max, less room for the header when that is whole MiB, so that it fills whole heap regions (see BufferPool). */
  private static int bufferLength(int max) {
    return max >= (1 << 20) ? BufferPool.lengthWithin(2 * max) : 2 * max;
  }

  /** What one fill left: the end of the bytes in the buffer, and whether the stream has ended. */
  private record Filled(int end, boolean eof) {}

  public ChunkReader(Chunker chunker) {
    this(chunker, null);
  }

  /** @param filler runs the reads ahead of large streams; null: every read in the calling thread */
  public ChunkReader(Chunker chunker, ExecutorService filler) {
    this.chunker = Objects.requireNonNull(chunker, "chunker");
    this.filler = filler;
  }

  /**
   * Whether a stream of {@code size} bytes is read ahead on the filler's thread: it must be longer
   * than the buffer, and there must be a filler. Callers use it to choose how to open such a file.
   */
  public boolean readsAhead(long size) {
    return filler != null && size > 2L * chunker.params().max();
  }

  /**
   * Reads {@code in} to its end and passes every chunk to {@code sink}, in order. Does not close
   * the channel.
   *
   * @return the number of bytes read, which is the sum of the chunk lengths
   */
  public long read(ReadableByteChannel in, ChunkSink sink) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(sink, "sink");
    int max = chunker.params().max();
    if (buf == null) {
      buf = new byte[bufferLength(max)];
    }
    Filled first = fill(in, buf, 0);
    if (first.eof() || filler == null) {
      return alone(in, sink, first);
    }
    return readingAhead(in, sink, first.end());
  }

  /** Fills {@code b} from {@code from} to its end, or to the end of the stream. */
  private static Filled fill(ReadableByteChannel in, byte[] b, int from) throws IOException {
    // at most READ_STEP per call: the JDK copies a heap buffer through a temporary direct buffer of
    // the same size, and keeps one such buffer per thread
    ByteBuffer view = ByteBuffer.wrap(b, from, b.length - from);
    while (view.position() < b.length) {
      view.limit(Math.min(b.length, view.position() + READ_STEP));
      if (in.read(view) < 0) {
        return new Filled(view.position(), true);
      }
    }
    return new Filled(b.length, false);
  }

  private long alone(ReadableByteChannel in, ChunkSink sink, Filled first) throws IOException {
    int max = chunker.params().max();
    byte[] buf = this.buf;
    long total = first.end();
    int pos = 0;
    int limit = first.end();
    boolean eof = first.eof();
    while (true) {
      if (!eof && limit - pos < max) {
        if (pos > 0) {
          System.arraycopy(buf, pos, buf, 0, limit - pos);
          limit -= pos;
          pos = 0;
        }
        Filled f = fill(in, buf, limit);
        total += f.end() - limit;
        limit = f.end();
        eof = f.eof();
      }
      if (pos == limit) {
        return total;
      }
      int n = chunker.cut(buf, pos, limit - pos);
      sink.accept(buf, pos, n);
      pos += n;
    }
  }

  private long readingAhead(ReadableByteChannel in, ChunkSink sink, int firstEnd) throws IOException {
    int max = chunker.params().max();
    if (spare == null) {
      spare = new byte[bufferLength(max)];
    }
    byte[] cur = buf;
    byte[] next = spare;
    long total = firstEnd;
    int pos = 0;
    int limit = firstEnd;
    boolean eof = false;
    Future<Filled> ahead = null;
    try {
      while (true) {
        if (!eof) {
          byte[] target = next;
          ahead = filler.submit(() -> fill(in, target, max));
        }
        while (limit - pos >= max || eof && pos < limit) {
          int n = chunker.cut(cur, pos, limit - pos);
          sink.accept(cur, pos, n);
          pos += n;
        }
        if (eof) {
          return total;
        }
        Filled f = await(ahead);
        ahead = null;
        int tail = limit - pos;
        System.arraycopy(cur, pos, next, max - tail, tail);
        byte[] done = cur;
        cur = next;
        next = done;
        pos = max - tail;
        total += f.end() - max;
        limit = f.end();
        eof = f.eof();
      }
    } finally {
      if (ahead != null) {
        finish(ahead); // it writes into a buffer the next stream will use
      }
    }
  }

  private static Filled await(Future<Filled> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  /** Waits for a fill that is no longer wanted, whatever it ends with. */
  private static void finish(Future<Filled> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
