package org.selfstorage.webui;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentException;

/**
 * Runs the UI's reads on a small pool with a deadline, against one agent opened for the UI. An
 * agent call can wait for the home (up to a minute, while a backup holds it) or for a partner: the
 * HTTP thread gives up after {@link #TIMEOUT} and answers 503, so a busy home never ties up every
 * thread the server has.
 */
final class AgentCalls implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Supplier<Agent> opener;
  private final ExecutorService workers;
  private Agent reader;

  AgentCalls(Supplier<Agent> opener) {
    this.opener = opener;
    this.workers = Executors.newFixedThreadPool(2, WebServer.daemonThreads("selfstorage-ui-work"));
  }

  /** The UI's own agent, opened at first use (the catalog serialises its statements, so threads may share it). */
  synchronized Agent reader() {
    if (reader == null) {
      reader = opener.get();
    }
    return reader;
  }

  /** A fresh agent for work that changes the home (a backup); the caller closes it. */
  Agent open() {
    return opener.get();
  }

  <T> T call(Function<Agent, T> work) {
    Future<T> f = workers.submit(() -> work.apply(reader()));
    try {
      return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AgentException("UI_BUSY", "the agent did not answer within " + TIMEOUT.toSeconds() + " s (a backup, "
          + "repair or slow partner may hold it)", "try again in a moment");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("INTERRUPTED", "the UI is stopping", null);
    }
  }

  @Override
  public synchronized void close() {
    workers.shutdownNow();
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
