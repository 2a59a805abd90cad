package org.selfstorage.federation.hosted;

import java.util.concurrent.Executor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.selfstorage.federation.ssh.WorkerLanes;
import org.selfstorage.federation.store.StagingBuffers;

/** Serves {@link ShardChannelProtocol#SUBSYSTEM}. */
public final class ShardChannelFactory implements SubsystemFactory {
  /** One pool for every partner's uploads: the shards all land on this host's disk. */
  private final StagingBuffers staging = StagingBuffers.direct();
  /**
   * Each partner's share of the workers: an honest owner keeps a few transfers going per partner
   * (its store threads); more only queue.
   */
  static final int LANE = 16;
  private final WorkerLanes lanes;

  /** {@code workers} must not refuse tasks: the lanes bound how many each partner runs at once. */
  public ShardChannelFactory(Executor workers) {
    this.lanes = new WorkerLanes(workers, LANE, Integer.MAX_VALUE);
  }

  @Override
  public String getName() {
    return ShardChannelProtocol.SUBSYSTEM;
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    return new ShardChannelCommand(channel, lanes::of, staging);
  }
}
