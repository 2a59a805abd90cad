package org.selfstorage.federation.ssh;

import java.io.IOException;
import org.apache.sshd.client.ClientFactoryManager;
import org.apache.sshd.client.session.ClientSessionImpl;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.helpers.PacketBuffer;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A client session whose channel-data packets reuse the arrays of a {@link PacketPool}.
 * {@link PooledServerSession} is the same for the server side (MINA's two session classes share
 * no superclass that both could extend).
 */
final class PooledClientSession extends ClientSessionImpl {
  private final PacketPool pool;

  private PooledClientSession(ClientFactoryManager client, IoSession io, PacketPool pool) throws Exception {
    super(client, io);
    this.pool = pool;
  }

  static SessionFactory factory(ClientFactoryManager client, PacketPool pool) {
    return new SessionFactory(client) {
      @Override
      protected ClientSessionImpl doCreateSession(IoSession io) throws Exception {
        return new PooledClientSession(getClient(), io, pool);
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
