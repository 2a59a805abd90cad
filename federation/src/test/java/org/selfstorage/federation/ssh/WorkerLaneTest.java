package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A lane runs at most its limit at once, queues the rest in order, and refuses past its queue. */
class WorkerLaneTest {
  @Test
  void runsAtMostItsLimit_thenTheWaitingInOrder_andRefusesPastItsQueue() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      WorkerLane lane = new WorkerLane(pool, 2, 3);
      CountDownLatch hold = new CountDownLatch(1);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      List<Integer> order = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(5);
      for (int i = 0; i < 5; i++) {
        int n = i;
        lane.execute(() -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          order.add(n);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> { }), "two running, three waiting");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (running.get() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the pool's threads take a moment to start
      }
      assertEquals(2, running.get(), "two at once while they are held");
      hold.countDown();
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(2, most.get());
      assertEquals(5, order.size());
      CountDownLatch again = new CountDownLatch(1);
      lane.execute(again::countDown);
      assertTrue(again.await(10, TimeUnit.SECONDS), "a drained lane takes work again");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneAtATime_inTheOrderTheyCame() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      WorkerLane lane = new WorkerLane(pool, 1, 100);
      List<Integer> order = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(50);
      for (int i = 0; i < 50; i++) {
        int n = i;
        lane.execute(() -> {
          order.add(n);
          done.countDown();
        });
      }
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(java.util.stream.IntStream.range(0, 50).boxed().toList(), order);
    } finally {
      pool.shutdownNow();
    }
  }
}
