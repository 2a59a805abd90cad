package org.selfstorage.federation.hosted;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.selfstorage.federation.ssh.StreamChannelCommand;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.store.DirectFileWriter;
import org.selfstorage.federation.store.StagingBuffers;
import org.selfstorage.federation.hosted.HostedLayout.Checked;

/**
 * Server side of {@link ShardChannelProtocol}. Incoming bytes arrive on MINA's I/O thread through
 * {@link #data} and go straight to the temporary file (no pipe in between); the slow steps (fsync,
 * rename, directory fsync, replies, reading a shard out) run on the worker executor.
 */
final class ShardChannelCommand extends StreamChannelCommand {
  private enum State { HEADER, BODY, DONE }

  private final java.util.function.Function<Path, Executor> lanes;
  /** The partner's lane of the server's workers, known once the session is (at start). */
  private volatile Executor workers;
  private HostedSession hs;

  private State state = State.HEADER;
  private byte[] header = new byte[0];
  private ShardName name;
  private long length;
  private long received;
  private long reserved;
  private DirectFileWriter file;
  private Path temp;
  private Path target;

  private final StagingBuffers staging;

  ShardChannelCommand(ChannelSession channel, java.util.function.Function<Path, Executor> lanes,
      StagingBuffers staging) {
    super(channel);
    this.lanes = lanes;
    this.staging = staging;
  }





  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    hs = HostedSession.of(channel.getSession());
    workers = lanes.apply(hs.hostRoot());
    hs.prepareRoot();
  }

  /**
   * Takes what the partner sent; within {@code hosting.max-rate} it returns {@code len} and MINA
   * widens the window at once, past it the window is widened only when the pacer allows (MINA's
   * timer, never a sleep on its I/O thread), so the partner cannot send more than the window ahead.
   */
  @Override
  public int data(ChannelSession channel, byte[] buf, int start, int len) throws IOException {
    take(buf, start, len);
    long wait = hs.inboundWait(len);
    if (wait <= 0) {
      return len;
    }
    channel.getSession().getFactoryManager().getScheduledExecutorService().schedule(() -> {
      try {
        channel.getLocalWindow().release(len);
      } catch (IOException e) {
        // the channel closed meanwhile: no window left to widen
      }
    }, wait, java.util.concurrent.TimeUnit.NANOSECONDS);
    return 0;
  }

  private synchronized void take(byte[] buf, int start, int len) {
    int off = start;
    int end = start + len;
    if (state == State.HEADER) {
      off = readHeader(buf, off, end);
    }
    if (state == State.BODY && off < end) {
      int n = (int) Math.min(end - off, length - received);
      try {
        file.write(buf, off, n);
      } catch (IOException e) {
        abort(isNoSpace(e) ? ShardChannelProtocol.NO_SPACE : ShardChannelProtocol.IO_ERROR,
            "writing shard " + name + " failed: " + e.getMessage());
        return;
      }
      received += n;
      if (received == length) {
        state = State.DONE;
        workers.execute(this::finishPut);
      }
    }
  }

  private int readHeader(byte[] buf, int off, int end) {
    int need = 4;
    byte[] h = header;
    int take = 0;
    while (true) {
      if (h.length >= 4) {
        int nameLen = ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        need = 4 + nameLen + (h[1] == ShardChannelProtocol.OP_PUT ? 8 : 0);
        if (nameLen > 200) {
          state = State.DONE;
          workers.execute(() -> replyAndExit(ShardChannelProtocol.BAD_REQUEST, "name too long"));
          return end;
        }
      }
      if (h.length >= need || off + take >= end) {
        break;
      }
      int more = Math.min(need - h.length, end - off - take);
      byte[] n = java.util.Arrays.copyOf(h, h.length + more);
      System.arraycopy(buf, off + take, n, h.length, more);
      take += more;
      h = n;
    }
    header = h;
    if (h.length < need) {
      return end;
    }
    onHeader(h);
    return off + take;
  }

  private void onHeader(byte[] h) {
    ByteBuffer b = ByteBuffer.wrap(h);
    int version = b.get() & 0xff;
    int op = b.get() & 0xff;
    int nameLen = b.getShort() & 0xffff;
    String n = new String(h, 4, nameLen, StandardCharsets.US_ASCII);
    b.position(4 + nameLen);
    if (version != ShardChannelProtocol.VERSION || !ShardName.isValid(n)
        || (op != ShardChannelProtocol.OP_PUT && op != ShardChannelProtocol.OP_GET)) {
      if (!ShardName.isValid(n)) {
        hs.refusedAccess("shard channel: " + n + ": not a shard name"); // a version mismatch is no probe
      }
      state = State.DONE;
      workers.execute(() -> replyAndExit(ShardChannelProtocol.BAD_REQUEST, "bad request"));
      return;
    }
    name = new ShardName(n);
    if (op == ShardChannelProtocol.OP_GET) {
      state = State.DONE;
      workers.execute(this::sendShard);
      return;
    }
    length = b.getLong();
    if (hs.fenced()) {
      state = State.DONE;
      workers.execute(() -> replyAndExit(ShardChannelProtocol.BAD_REQUEST, "FENCED: this agent was recovered on "
          + "another machine since; this machine may read but not change anything"));
      return;
    }
    if (length < 0 || length > ShardChannelProtocol.MAX_SHARD_BYTES) {
      state = State.DONE;
      workers.execute(() -> replyAndExit(ShardChannelProtocol.BAD_REQUEST, "bad shard length " + length));
      return;
    }
    try {
      Checked shard = HostedLayout.check(HostedLayout.shardPath(name));
      Checked tmp = HostedLayout.check(HostedLayout.tempPath(name, ThreadLocalRandom.current().nextLong()));
      HostedLayout.refuseLinks(hs.hostRoot(), shard.canonical());
      HostedLayout.refuseLinks(hs.hostRoot(), tmp.canonical());
      target = hs.hostPath(shard.canonical());
      temp = hs.hostPath(tmp.canonical());
    } catch (AccessDeniedException e) {
      hs.refusedAccess("shard channel: " + e.getMessage());
      state = State.DONE;
      workers.execute(() -> replyAndExit(ShardChannelProtocol.BAD_REQUEST, e.getMessage()));
      return;
    }
    hs.addPending(temp); // before the reservation: a recount of the usage waits while a write is pending
    if (!hs.reserve(length)) {
      hs.published(temp);
      state = State.DONE;
      String msg = "shard " + name + " (" + length + " bytes) would exceed the quota of " + hs.quota()
          + " bytes for partner " + hs.partner().name() + " (" + hs.usage().used() + " used)";
      workers.execute(() -> replyAndExit(ShardChannelProtocol.QUOTA_EXCEEDED, msg));
      return;
    }
    reserved = length;
    try {
      file = DirectFileWriter.create(temp, staging, true);
    } catch (IOException e) {
      abort(ShardChannelProtocol.IO_ERROR, "cannot create a temporary file for " + name + ": " + e.getMessage());
      return;
    }
    state = length == 0 ? State.DONE : State.BODY;
    if (length == 0) {
      // one task, in order: as two tasks on the pool, the final reply and the exit could overtake
      // the first reply, and the client would see the channel close before its second reply
      workers.execute(() -> {
        reply(ShardChannelProtocol.OK, "");
        finishPut();
      });
    } else {
      workers.execute(() -> reply(ShardChannelProtocol.OK, ""));
    }
  }

  private void finishPut() {
    try {
      synchronized (this) {
        hs.force(file.finish(), temp);
        file.close();
        file = null;
      }
      hs.publish(temp, target);
      synchronized (this) {
        reserved = 0;
      }
      replyAndExit(ShardChannelProtocol.OK, "");
    } catch (java.io.UncheckedIOException e) {
      abort(ShardChannelProtocol.IO_ERROR, "storing shard " + name + " failed: " + e.getCause().getMessage());
    } catch (IOException e) {
      abort(isNoSpace(e) ? ShardChannelProtocol.NO_SPACE : ShardChannelProtocol.IO_ERROR,
          "storing shard " + name + " failed: " + e.getMessage());
    }
  }

  private void sendShard() {
    Checked c;
    try {
      c = HostedLayout.check(HostedLayout.shardPath(name));
      HostedLayout.refuseLinks(hs.hostRoot(), c.canonical());
    } catch (AccessDeniedException e) {
      replyAndExit(ShardChannelProtocol.BAD_REQUEST, e.getMessage());
      return;
    }
    FileChannel in;
    try {
      in = FileChannel.open(hs.hostPath(c.canonical()), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      replyAndExit(ShardChannelProtocol.NOT_FOUND, "no shard " + name);
      return;
    } catch (IOException e) {
      replyAndExit(ShardChannelProtocol.IO_ERROR, "cannot open shard " + name + ": " + e.getMessage());
      return;
    }
    try (in) {
      long size = in.size();
      DataOutputStream d = new DataOutputStream(out);
      writeReply(d, ShardChannelProtocol.OK, "");
      d.writeLong(size);
      byte[] chunk = new byte[256 * 1024];
      long left = size;
      while (left > 0) {
        ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, left));
        int n = in.read(b);
        if (n < 0) {
          throw new IOException("shard " + name + " shrank while being sent");
        }
        out.write(chunk, 0, n);
        left -= n;
      }
      out.flush();
      exit(0);
    } catch (IOException e) {
      exit(1); // the client sees a short stream and fails the read
    }
  }

  private synchronized void abort(int status, String message) {
    state = State.DONE;
    discardTemp();
    workers.execute(() -> replyAndExit(status, message));
  }

  private synchronized void discardTemp() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException ignored) {
        // closing a file we are about to delete
      }
      file = null;
    }
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // left for the session-end sweep
      }
    }
    hs.usage().release(reserved);
    reserved = 0;
    if (temp != null) {
      hs.published(temp); // last: a recount of the usage waits while a write is pending
    }
  }

  private void reply(int status, String message) {
    try {
      writeReply(new DataOutputStream(out), status, message);
      out.flush();
    } catch (IOException e) {
      // the channel is gone; destroy() cleans up
    }
  }

  private void replyAndExit(int status, String message) {
    reply(status, message);
    exit(status == ShardChannelProtocol.OK ? 0 : 1);
  }

  private static void writeReply(DataOutputStream d, int status, String message) throws IOException {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    if (m.length > 4096) {
      m = java.util.Arrays.copyOf(m, 4096);
    }
    d.writeByte(status);
    d.writeShort(m.length);
    d.write(m);
  }

  private void exit(int code) {
    ExitCallback e = exit;
    if (e != null) {
      e.onExit(code);
    }
  }

  static boolean isNoSpace(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
  }

  @Override
  public void destroy(ChannelSession channel) {
    synchronized (this) {
      if (reserved > 0 || file != null) {
        discardTemp();
      }
    }
  }

  @Override
  public void close() {
    // the channel closes the receiver; cleanup happens in destroy
  }
}
