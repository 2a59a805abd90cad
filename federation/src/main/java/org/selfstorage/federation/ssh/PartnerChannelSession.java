package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.util.Set;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler.Result;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.selfstorage.federation.hosted.ShardChannelProtocol;
import org.selfstorage.federation.rpc.RpcPeer;
import org.selfstorage.federation.rpc.RpcProtocol;

/**
 * A session channel that accepts one kind of request: {@code subsystem}, for exactly the names
 * served (compared exactly; MINA's own lookup ignores case). Everything else a session channel can
 * ask for (shell, exec, pty-req, env, x11-req, auth-agent-req, signals) is refused. A partner may
 * open any of {@link #SUBSYSTEMS}; a guest only {@link #GUEST_SUBSYSTEMS}.
 */
final class PartnerChannelSession extends ChannelSession {
  static final Set<String> SUBSYSTEMS = Set.of(SftpSubsystemFactory.NAME, ShardChannelProtocol.SUBSYSTEM, RpcProtocol.SUBSYSTEM);
  static final Set<String> GUEST_SUBSYSTEMS = Set.of(RpcProtocol.SUBSYSTEM);

  static final ChannelFactory FACTORY = new ChannelFactory() {
    @Override
    public String getName() {
      return "session";
    }

    @Override
    public Channel createChannel(Session session) {
      return new PartnerChannelSession();
    }
  };

  @Override
  protected Result handleInternalRequest(String type, boolean wantReply, Buffer buffer) throws IOException {
    if (!"subsystem".equals(type)) {
      return Result.ReplyFailure;
    }
    int pos = buffer.rpos();
    String name = buffer.getString();
    buffer.rpos(pos);
    RpcPeer peer = getSession().getAttribute(RpcPeer.KEY);
    if (peer == null || !(peer.isGuest() ? GUEST_SUBSYSTEMS : SUBSYSTEMS).contains(name)) {
      return Result.ReplyFailure;
    }
    return super.handleInternalRequest(type, wantReply, buffer);
  }
}
