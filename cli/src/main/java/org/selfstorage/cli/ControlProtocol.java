package org.selfstorage.cli;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.selfstorage.agent.Home;

/**
 * The wire format between a command and the running agent of its home, over the Unix socket
 * {@code HOME/run/agent.sock}. The command sends one request frame (JSON: {@code argv}, {@code cwd},
 * {@code interactive}); the agent answers with output frames and ends with an exit frame. Every
 * frame is a type byte, a big-endian u32 length and that many bytes.
 *
 * <p>Reads and writes go straight to the channel: the streams of {@code java.nio.channels.Channels}
 * hold one lock for both directions, so a thread waiting to read would block the thread writing.
 */
final class ControlProtocol {
  static final byte REQUEST = 'q';
  static final byte STDOUT = 'o';
  static final byte STDERR = 'e';
  static final byte EXIT = 'x';
  static final int MAX_FRAME = 1 << 20;

  private ControlProtocol() {}

  static Path socketOf(Home home) {
    return home.runDir().resolve("agent.sock");
  }

  record Frame(byte type, byte[] data) {}

  static void write(SocketChannel ch, byte type, byte[] data, int off, int len) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).put(type).putInt(len).flip();
    ByteBuffer body = ByteBuffer.wrap(data, off, len);
    while (head.hasRemaining() || body.hasRemaining()) {
      ch.write(new ByteBuffer[] {head, body});
    }
  }

  /** The next frame, or null at a clean end of stream before a frame starts. */
  static Frame read(SocketChannel ch) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5);
    if (!fill(ch, head, true)) {
      return null;
    }
    head.flip();
    byte type = head.get();
    int len = head.getInt();
    if (len < 0 || len > MAX_FRAME) {
      throw new IOException("control frame of " + len + " bytes refused");
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    fill(ch, body, false);
    return new Frame(type, body.array());
  }

  private static boolean fill(SocketChannel ch, ByteBuffer b, boolean endAllowed) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        if (endAllowed && b.position() == 0) {
          return false;
        }
        throw new EOFException("the other side closed the control socket mid-frame");
      }
    }
    return true;
  }
}
