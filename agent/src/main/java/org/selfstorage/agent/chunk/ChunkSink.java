package org.selfstorage.agent.chunk;

import java.io.IOException;

/**
 * Receives the chunks of a stream, in order.
 *
 * <p>The array is the reader's buffer and is reused as soon as {@link #accept} returns: copy the
 * bytes to keep them.
 */
@FunctionalInterface
public interface ChunkSink {
  void accept(byte[] buf, int offset, int length) throws IOException;
}
