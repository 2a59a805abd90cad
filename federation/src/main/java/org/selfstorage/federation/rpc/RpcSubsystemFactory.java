package org.selfstorage.federation.rpc;

import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.RpcHandler;
import org.selfstorage.federation.ssh.WorkerLane;
import org.selfstorage.federation.ssh.WorkerLanes;

/**
 * Serves {@link RpcProtocol#SUBSYSTEM}; handlers run on {@code workers}, never on an I/O thread,
 * each partner's calls in its own {@link WorkerLane} (guests all in one), so a caller that stops
 * reading its answers holds its own share of the threads only.
 */
public final class RpcSubsystemFactory implements SubsystemFactory {
  /** Calls of one partner answered at once, and calls that may wait their turn; past that: BUSY. */
  public static final int LANE = 4;
  public static final int LANE_QUEUE = 64;

  private final RpcHandler handler;
  private final Executor workers;
  private final WorkerLanes lanes;
  private final WorkerLane guests;

  /** {@code workers} must not refuse tasks: the lanes bound how many each caller runs at once. */
  public RpcSubsystemFactory(RpcHandler handler, Executor workers) {
    this.handler = handler;
    this.workers = workers;
    this.lanes = new WorkerLanes(workers, LANE, LANE_QUEUE);
    this.guests = new WorkerLane(workers, 2, LANE_QUEUE);
  }

  /** The lane of a partner's calls (all its sessions together), or the guests' lane. */
  Executor lane(Optional<HostedPartner> partner) {
    return partner.map(p -> (Executor) lanes.of(p.root())).orElse(guests);
  }

  @Override
  public String getName() {
    return RpcProtocol.SUBSYSTEM;
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    return new RpcCommand(channel, handler, this::lane, workers);
  }
}
