package org.selfstorage.webui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.AgentJson;

/**
 * The status document, refreshed at most every {@link #FRESH} and only while someone asks for it:
 * working it out says hello to every partner, which a dashboard polling every two seconds from
 * two tabs must not multiply. A request gets the last document at once while a newer one is being
 * made; only the very first waits for one.
 */
final class StatusCache implements AutoCloseable {
  static final Duration FRESH = Duration.ofSeconds(3);

  private final AgentCalls calls;
  private final ExecutorService refresher = Executors.newSingleThreadExecutor(
      WebServer.daemonThreads("selfstorage-ui-status"));
  private ObjectNode last;
  private RuntimeException lastFailure;
  private long madeAt;
  private boolean invalid = true;
  private Future<?> inFlight;

  StatusCache(AgentCalls calls) {
    this.calls = calls;
  }

  ObjectNode get() {
    Future<?> waitFor;
    synchronized (this) {
      boolean stale = invalid || System.nanoTime() - madeAt > FRESH.toNanos();
      if (stale && (inFlight == null || inFlight.isDone())) {
        inFlight = refresher.submit(this::refresh);
      }
      if (last != null) {
        return last;
      }
      if (lastFailure != null && !stale) {
        throw lastFailure;
      }
      waitFor = inFlight;
    }
    try {
      waitFor.get(AgentCalls.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AgentException("UI_BUSY", "the status is still being worked out (partners are slow to answer)",
          "try again in a moment");
    } catch (ExecutionException e) {
      // refresh() keeps its failure
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (last != null) {
        return last;
      }
      throw lastFailure != null ? lastFailure : new AgentException("UI_BUSY", "no status yet", "try again");
    }
  }

  /** The next request makes a new document (after a backup, a partner change). */
  synchronized void invalidate() {
    invalid = true;
  }

  private void refresh() {
    try {
      ObjectNode made = AgentJson.status(calls.reader());
      synchronized (this) {
        last = made;
        lastFailure = null;
        madeAt = System.nanoTime();
        invalid = false;
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        lastFailure = e;
        // a failing status is retried at the next request after FRESH, not at every poll
        madeAt = System.nanoTime();
        invalid = false;
        last = null;
      }
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
