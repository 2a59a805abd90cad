package org.selfstorage.federation.ssh;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one partner's work for its channels (shard transfers, RPC answers) on one of the server's
 * shared pools, at most {@code limit} tasks at once; the rest wait their turn in the partner's own
 * queue, and past {@code maxWaiting} of them a task is refused. Such work writes to the partner and
 * waits whenever its window is shut, so a partner that asks and never reads holds threads: this way
 * only its own share of them, never another partner's (ServerHardeningTest). The pool itself must
 * not refuse: the lanes bound it.
 */
public final class WorkerLane implements Executor {
  private final Executor pool;
  private final int limit;
  private final int maxWaiting;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  public WorkerLane(Executor pool, int limit, int maxWaiting) {
    if (limit < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException("limit " + limit + ", maxWaiting " + maxWaiting);
    }
    this.pool = pool;
    this.limit = limit;
    this.maxWaiting = maxWaiting;
  }

  /** Runs {@code task} now or in turn; {@link RejectedExecutionException} when the queue is full. */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (running >= limit) {
        if (waiting.size() >= maxWaiting) {
          throw new RejectedExecutionException("already " + running + " running and " + waiting.size() + " waiting");
        }
        waiting.add(task);
        return;
      }
      running++;
    }
    start(task);
  }

  private void start(Runnable task) {
    pool.execute(() -> {
      try {
        task.run();
      } finally {
        next();
      }
    });
  }

  private void next() {
    Runnable n;
    synchronized (this) {
      n = waiting.poll();
      if (n == null) {
        running--;
        return;
      }
    }
    try {
      start(n);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (this) {
        running--; // the server is closing: what waited goes with its channels
      }
    }
  }
}
