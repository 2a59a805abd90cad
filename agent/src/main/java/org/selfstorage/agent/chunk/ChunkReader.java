package org.selfstorage.agent.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * Streams a channel through a {@link Chunker} and hands each chunk to a {@link ChunkSink}.
 *
 * <p>One buffer of {@code 2 * max} bytes is allocated on first use and reused for every stream
 * after it (a backup reads tens of thousands of small files, and a fresh 8 MiB buffer for each
 * one costs more than reading them): the reader fills it with large reads (at least {@code max}
 * bytes of free space each time), cuts while at least {@code max} bytes are buffered, then moves
 * the unread tail to the front. Not thread-safe: one reader per thread. The channel must be
 * blocking.
 */
public final class ChunkReader {

  private static final int READ_STEP = 1 << 20;

  private final Chunker chunker;
  private byte[] buf;

  public ChunkReader(Chunker chunker) {
    this.chunker = Objects.requireNonNull(chunker, "chunker");
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
      buf = new byte[2 * max];
    }
    byte[] buf = this.buf;
    ByteBuffer view = ByteBuffer.wrap(buf);
    long total = 0;
    int pos = 0;
    int limit = 0;
    boolean eof = false;
    while (true) {
      if (!eof && limit - pos < max) {
        if (pos > 0) {
          System.arraycopy(buf, pos, buf, 0, limit - pos);
          limit -= pos;
          pos = 0;
        }
        view.limit(buf.length).position(limit);
        while (view.position() < buf.length) {
          // at most READ_STEP per call: the JDK copies a heap buffer through a temporary direct
          // buffer of the same size, and keeps one such buffer per thread
          view.limit(Math.min(buf.length, view.position() + READ_STEP));
          if (in.read(view) < 0) {
            eof = true;
            break;
          }
        }
        total += view.position() - limit;
        limit = view.position();
      }
      if (pos == limit) {
        return total;
      }
      int n = chunker.cut(buf, pos, limit - pos);
      sink.accept(buf, pos, n);
      pos += n;
    }
  }
}
