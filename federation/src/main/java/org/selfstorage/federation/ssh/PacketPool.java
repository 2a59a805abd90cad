package org.selfstorage.federation.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.PacketBuffer;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The arrays of outgoing SSH channel-data packets, used again once a packet is on the wire.
 *
 * <p>MINA gives every packet a new array: a backup to partners sent 1.5 GB of 128 KiB arrays
 * through a 32 MB young generation, half of the 2.9 GB the owner allocated (JFR allocation
 * samples; 1.3 GB with this pool), and the young collections that followed made G1 grow the
 * owner's heap.
 *
 * <p>Only the streams of our own channels ({@link #lentTo}: the shard channel and the RPC
 * subsystem, both sides) draw from the pool, because only their writer, MINA's
 * {@code ChannelOutputStream}, is known to drop a packet once it handed it to the session; MINA's
 * SFTP code keeps and refills its packets, so its buffers stay MINA's own. While such a stream
 * writes, the session's {@code createBuffer} takes channel-data packets from here
 * ({@link #packet}), and {@link #written} takes an array back only when the transport reports the
 * whole packet written (the write future completes after the I/O session dropped its last
 * reference). A packet that failed, was never written, or outgrew its array is left to the
 * garbage collector, so a mistake here can cost an allocation, never bytes on the wire.
 */
final class PacketPool {
  /** Room beyond the channel payload: packet length, padding, command, channel header, AEAD tag, MAC. */
  private static final int OVERHEAD = 512;
  /** What a channel asks for beyond its payload: the channel number and data length (and type). */
  private static final int CHANNEL_HEADER = 12;
  /**
   * Arrays kept for reuse; more in flight are allocated and left to the collector. In the bench's
   * mesh backup 32 left 0.3 GB of packet allocations and 128 left 0.1 GB, at the same speed and
   * with 16 MB more held through the restore (docs/design.md §10, session 18).
   */
  private static final int KEPT = 32;

  private final int arrayLength;
  private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(KEPT);
  /** Set while one of our channel streams writes on this thread. */
  private final ThreadLocal<Boolean> lending = ThreadLocal.withInitial(() -> Boolean.FALSE);

  /** @param packetBytes the largest channel payload the peers accept (the {@code MAX_PACKET_SIZE} set) */
  PacketPool(int packetBytes) {
    this.arrayLength = packetBytes + OVERHEAD;
  }

  /**
   * An empty packet buffer for {@code cmd} with room for {@code payload} bytes, or null when this
   * pool does not serve it (not channel data, larger than its arrays, or not asked for by a stream
   * of {@link #lentTo}).
   */
  PacketBuffer packet(byte cmd, int payload) {
    if (cmd != SshConstants.SSH_MSG_CHANNEL_DATA || payload > arrayLength - OVERHEAD + CHANNEL_HEADER
        || !lending.get()) {
      return null;
    }
    byte[] a = free.poll();
    return new Lent(a != null ? a : new byte[arrayLength]);
  }

  /** Takes the packet's array back once the transport has written all of it. */
  void written(Buffer packet, IoWriteFuture future) {
    if (packet instanceof Lent lent && lent.array() == lent.lent) {
      future.addListener(f -> {
        if (f.isWritten()) {
          free.offer(lent.lent);
        }
      });
    }
  }

  /** Arrays waiting to be lent again. */
  int kept() {
    return free.size();
  }

  /**
   * The channel stream {@code out} (a {@code ChannelOutputStream} of {@code session}), drawing its
   * packets from the session's pool if it has one.
   */
  static OutputStream lentTo(Session session, OutputStream out) {
    PacketPool pool = session instanceof PooledClientSession c ? c.packets()
        : session instanceof PooledServerSession s ? s.packets() : null;
    return pool == null || out == null ? out : pool.lending(out);
  }

  /** {@code out}, marking this thread while it writes so that its new packets come from here. */
  OutputStream lending(OutputStream out) {
    return new Lending(out);
  }

  /** Marks the thread while the channel stream writes, so that its new packets come from the pool. */
  private final class Lending extends FilterOutputStream {
    Lending(OutputStream channelStream) {
      super(channelStream);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      lend(() -> out.write(b, off, len));
    }

    @Override
    public void write(int b) throws IOException {
      lend(() -> out.write(b));
    }

    @Override
    public void flush() throws IOException {
      lend(out::flush);
    }

    @Override
    public void close() throws IOException {
      lend(out::close);
    }
  }

  private interface StreamCall {
    void run() throws IOException;
  }

  private void lend(StreamCall call) throws IOException {
    boolean outer = lending.get();
    lending.set(Boolean.TRUE);
    try {
      call.run();
    } finally {
      if (!outer) {
        lending.set(Boolean.FALSE);
      }
    }
  }

  /** A packet whose array came from the pool; {@link Buffer#array()} differs once it grew. */
  private static final class Lent extends PacketBuffer {
    final byte[] lent;

    Lent(byte[] array) {
      super(array, false);
      this.lent = array;
    }
  }
}
