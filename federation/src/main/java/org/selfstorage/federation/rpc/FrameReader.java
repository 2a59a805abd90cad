package org.selfstorage.federation.rpc;

import java.io.ByteArrayOutputStream;

/**
 * Collects one length-prefixed frame from bytes as they arrive. The declared length is checked
 * against the limit before any buffer is sized by it, and the buffer grows only with bytes received.
 * Not thread-safe.
 */
public final class FrameReader {
  public enum State { NEED_MORE, COMPLETE, TOO_LARGE }

  private final int max;
  private final byte[] head = new byte[4];
  private int headLen;
  private long length = -1;
  private ByteArrayOutputStream body;
  private State state = State.NEED_MORE;
  private long extra;

  public FrameReader(int max) {
    this.max = max;
  }

  /** Takes bytes; bytes past a complete frame are counted in {@link #extraBytes()} and dropped. */
  public State feed(byte[] b, int off, int len) {
    if (state != State.NEED_MORE) {
      extra += len;
      return state;
    }
    while (len > 0 && headLen < 4) {
      head[headLen++] = b[off++];
      len--;
    }
    if (headLen < 4) {
      return state;
    }
    if (length < 0) {
      length = ((head[0] & 0xffL) << 24) | ((head[1] & 0xffL) << 16) | ((head[2] & 0xffL) << 8) | (head[3] & 0xffL);
      if (length > max) {
        state = State.TOO_LARGE;
        return state;
      }
      body = new ByteArrayOutputStream((int) Math.min(length, 8192));
    }
    int n = (int) Math.min(len, length - body.size());
    body.write(b, off, n);
    extra += len - n;
    if (body.size() == length) {
      state = State.COMPLETE;
    }
    return state;
  }

  public State state() {
    return state;
  }

  /** Whether any byte arrived. */
  public boolean started() {
    return headLen > 0;
  }

  /** The longest frame it takes. */
  public int max() {
    return max;
  }

  public long declaredLength() {
    return length;
  }

  public long extraBytes() {
    return extra;
  }

  /** The frame's JSON bytes, once complete. */
  public byte[] frame() {
    if (state != State.COMPLETE) {
      throw new IllegalStateException("the frame is not complete");
    }
    return body.toByteArray();
  }
}
