package org.selfstorage.federation.rpc;

import java.util.concurrent.Executor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.selfstorage.federation.RpcHandler;

/** Serves {@link RpcProtocol#SUBSYSTEM}; handlers run on {@code workers}, never on an I/O thread. */
public final class RpcSubsystemFactory implements SubsystemFactory {
  private final RpcHandler handler;
  private final Executor workers;

  public RpcSubsystemFactory(RpcHandler handler, Executor workers) {
    this.handler = handler;
    this.workers = workers;
  }

  @Override
  public String getName() {
    return RpcProtocol.SUBSYSTEM;
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    return new RpcCommand(channel, handler, workers);
  }
}
