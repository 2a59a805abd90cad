package org.selfstorage.federation.hosted;

import java.util.concurrent.Executor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.selfstorage.federation.store.StagingBuffers;

/** Serves {@link ShardChannelProtocol#SUBSYSTEM}. */
public final class ShardChannelFactory implements SubsystemFactory {
  private final Executor workers;
  /** One pool for every partner's uploads: the shards all land on this host's disk. */
  private final StagingBuffers staging = StagingBuffers.direct();

  public ShardChannelFactory(Executor workers) {
    this.workers = workers;
  }

  @Override
  public String getName() {
    return ShardChannelProtocol.SUBSYSTEM;
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    return new ShardChannelCommand(channel, workers, staging);
  }
}
