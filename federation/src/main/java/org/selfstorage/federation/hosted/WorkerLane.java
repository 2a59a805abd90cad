package org.selfstorage.federation.hosted;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs one partner's shard-channel work (replies, fsync and rename, sending a shard out) on the
 * server's shared worker pool, at most {@link #LIMIT} tasks at once; the rest wait their turn in the
 * partner's own queue. Sending a shard waits for the partner to open its window, so a partner that
 * asks and never reads holds workers: this way only its own share of them, never another
 * partner's (ServerHardeningTest).
 */
final class WorkerLane implements Executor {
  /** An honest owner keeps a few transfers going per partner (its store threads); more only queue. */
  static final int LIMIT = 16;

  private final Executor pool;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  WorkerLane(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (running >= LIMIT) {
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
    start(n);
  }
}
