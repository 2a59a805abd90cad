package org.selfstorage.federation.hosted;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.selfstorage.federation.ssh.WorkerLane;
import org.selfstorage.federation.store.StagingBuffers;

/** Serves {@link ShardChannelProtocol#SUBSYSTEM}. */
public final class ShardChannelFactory implements SubsystemFactory {
  private final Executor workers;
  /** One pool for every partner's uploads: the shards all land on this host's disk. */
  private final StagingBuffers staging = StagingBuffers.direct();
  /**
   * Each partner's share of the workers, by its hosted directory (all its sessions together): an
   * honest owner keeps a few transfers going per partner (its store threads); more only queue.
   */
  private final Map<Path, WorkerLane> lanes = new ConcurrentHashMap<>();
  static final int LANE = 16;

  /** {@code workers} must not refuse tasks: the lanes bound how many each partner runs at once. */
  public ShardChannelFactory(Executor workers) {
    this.workers = workers;
  }

  @Override
  public String getName() {
    return ShardChannelProtocol.SUBSYSTEM;
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    return new ShardChannelCommand(channel, root -> lanes.computeIfAbsent(root, r -> new WorkerLane(workers, LANE, Integer.MAX_VALUE)), staging);
  }
}
