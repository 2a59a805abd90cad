package org.selfstorage.federation.ssh;

import java.io.IOException;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.helpers.PacketBuffer;
import org.apache.sshd.common.util.buffer.Buffer;

/** A server session whose channel-data packets reuse the arrays of a {@link PacketPool}. */
final class PooledServerSession extends ServerSessionImpl {
  private final PacketPool pool;

  private PooledServerSession(ServerFactoryManager server, IoSession io, PacketPool pool) throws Exception {
    super(server, io);
    this.pool = pool;
  }

  static SessionFactory factory(ServerFactoryManager server, PacketPool pool) {
    return new SessionFactory(server) {
      @Override
      protected ServerSessionImpl doCreateSession(IoSession io) throws Exception {
        return new PooledServerSession(getServer(), io, pool);
      }
    };
  }

  PacketPool packets() {
    return pool;
  }

  @Override
  public Buffer createBuffer(byte cmd, int len) {
    PacketBuffer b = pool == null ? null : pool.packet(cmd, len); // null while the superclass constructor runs
    return b != null ? prepareBuffer(cmd, b) : super.createBuffer(cmd, len);
  }

  @Override
  public IoWriteFuture writePacket(Buffer buffer) throws IOException {
    IoWriteFuture f = super.writePacket(buffer);
    if (pool != null) {
      pool.written(buffer, f);
    }
    return f;
  }
}
