package org.selfstorage.federation.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ClientChannel;
import org.selfstorage.federation.ShardBytes;
import org.selfstorage.federation.hosted.ShardChannelProtocol;

/**
 * Receives the server's side of a shard channel straight from MINA's I/O thread (set as the
 * channel's output before it opens, so there is no pipe and no copy): replies, and for a download the
 * shard's length and bytes, written into one array of exactly that length. A length above the cap
 * or bytes beyond it are a protocol violation and fail the operation.
 */
final class ReplySink extends OutputStream {
  record Reply(int status, String message) {}

  private static final Object DATA = new Object();

  private final Watchdog.Op op;
  private final boolean expectData;
  private final long maxData;
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  private final byte[] head = new byte[3];
  private int headLen;
  private byte[] msg;
  private int msgLen;
  private boolean inData;
  private final byte[] lenBuf = new byte[8];
  private int lenLen;
  private final java.util.function.IntFunction<byte[]> buffers;
  private byte[] data;
  private int dataSize; // announced; data may be longer
  private int dataLen;
  private boolean failed;

  ReplySink(Watchdog.Op op, boolean expectData, long maxData) {
    this(op, expectData, maxData, byte[]::new);
  }

  /** Downloaded data goes into an array from {@code buffers}, asked for at least the announced size. */
  ReplySink(Watchdog.Op op, boolean expectData, long maxData, java.util.function.IntFunction<byte[]> buffers) {
    this.op = op;
    this.expectData = expectData;
    this.maxData = maxData;
    this.buffers = buffers;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    op.progress();
    while (len > 0 && !failed) {
      int n;
      if (inData && data == null) {
        n = Math.min(len, 8 - lenLen);
        System.arraycopy(b, off, lenBuf, lenLen, n);
        lenLen += n;
        if (lenLen == 8) {
          long l = java.nio.ByteBuffer.wrap(lenBuf).getLong();
          if (l < 0 || l > maxData) {
            fail("the partner announced a shard of " + l + " bytes (at most " + maxData + " accepted)");
            return;
          }
          op.expect(l);
          dataSize = (int) l;
          data = buffers.apply(dataSize);
          if (l == 0) {
            events.add(DATA);
          }
        }
      } else if (inData) {
        if (dataLen == dataSize) {
          fail("the partner sent more bytes than the shard length it announced");
          return;
        }
        n = Math.min(len, dataSize - dataLen);
        System.arraycopy(b, off, data, dataLen, n);
        dataLen += n;
        if (dataLen == dataSize) {
          events.add(DATA);
        }
      } else if (headLen < 3) {
        n = Math.min(len, 3 - headLen);
        System.arraycopy(b, off, head, headLen, n);
        headLen += n;
        if (headLen == 3) {
          msg = new byte[((head[1] & 0xff) << 8) | (head[2] & 0xff)];
          msgLen = 0;
          if (msg.length == 0) {
            replyDone();
          }
        }
      } else {
        n = Math.min(len, msg.length - msgLen);
        System.arraycopy(b, off, msg, msgLen, n);
        msgLen += n;
        if (msgLen == msg.length) {
          replyDone();
        }
      }
      off += n;
      len -= n;
    }
  }

  private void replyDone() {
    int status = head[0] & 0xff;
    events.add(new Reply(status, new String(msg, StandardCharsets.UTF_8)));
    headLen = 0;
    if (expectData && status == ShardChannelProtocol.OK) {
      inData = true;
    }
  }

  private void fail(String why) {
    failed = true;
    events.add(new IOException(why));
  }

  /** The next reply, waiting while the channel is open and the operation within its deadline. */
  Reply nextReply(ClientChannel ch) throws IOException {
    Object e = next(ch);
    if (e instanceof Reply r) {
      return r;
    }
    throw new IOException("the partner broke the shard channel protocol");
  }

  /** The downloaded shard, once all its bytes are in. */
  ShardBytes awaitData(ClientChannel ch) throws IOException {
    if (next(ch) != DATA) {
      throw new IOException("the partner broke the shard channel protocol");
    }
    synchronized (this) {
      return new ShardBytes(data, dataSize);
    }
  }

  private Object next(ClientChannel ch) throws IOException {
    while (true) {
      Object e;
      try {
        e = events.poll(25, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for the partner");
      }
      if (e == null && (ch.isClosed() || ch.isClosing())) {
        e = events.poll();
        if (e == null) {
          op.check();
          throw new EOFException("the partner closed the shard channel early");
        }
      }
      if (e instanceof IOException ex) {
        throw ex;
      }
      if (e != null) {
        return e;
      }
      op.check();
    }
  }
}
