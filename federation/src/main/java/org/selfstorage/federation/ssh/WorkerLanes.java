package org.selfstorage.federation.ssh;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** One {@link WorkerLane} per partner (by hosted directory: all its sessions together), all on one pool. */
public final class WorkerLanes {
  private final Executor pool;
  private final int limit;
  private final int maxWaiting;
  private final Map<Path, WorkerLane> byRoot = new ConcurrentHashMap<>();

  /** {@code pool} must not refuse tasks: the lanes bound how many each partner runs at once. */
  public WorkerLanes(Executor pool, int limit, int maxWaiting) {
    this.pool = pool;
    this.limit = limit;
    this.maxWaiting = maxWaiting;
  }

  public WorkerLane of(Path partnerRoot) {
    return byRoot.computeIfAbsent(partnerRoot, r -> new WorkerLane(pool, limit, maxWaiting));
  }
}
