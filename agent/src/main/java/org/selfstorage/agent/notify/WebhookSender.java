package org.selfstorage.agent.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers notices to webhooks on threads of its own, so a slow or dead webhook never holds up the
 * work that caused the notice: a bounded queue (the oldest notice is dropped, with a warning, when
 * it is full), two delivery threads, a connect and request timeout, and retries with exponential
 * backoff for failures that may pass (network errors, timeouts, HTTP 408, 429 and 5xx). URLs are
 * only ever logged masked.
 */
public final class WebhookSender implements AutoCloseable {
  /**
   * @param queueSize notices waiting for a delivery thread, at most
   * @param attempts tries per notice and webhook, the first included
   * @param firstRetry the wait before the second try; each later wait doubles
   * @param timeout connect timeout, and the whole request's timeout
   */
  public record Settings(int queueSize, int attempts, Duration firstRetry, Duration timeout) {
    public static Settings defaults() {
      return new Settings(100, 5, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
  }

  /** The outcome of one try: the HTTP status (or -1) and, when it failed, why. */
  public record Delivery(int status, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  private record Job(Webhook webhook, Notice notice, int attempt) {}

  private final Settings settings;
  private final Consumer<String> log;
  private final HttpClient http;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final ScheduledExecutorService retries;
  private final List<Thread> workers = new ArrayList<>();
  /** Notices queued, being sent, or waiting for a retry: what {@link #drain} waits for. */
  private int unfinished;
  private boolean closed;

  public WebhookSender(Settings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
    // HTTP/1.1: an h2c upgrade offer confuses some small webhook servers and proxies
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "selfstorage-webhook-retry"));
    for (int i = 0; i < 2; i++) {
      Thread t = daemon(this::work, "selfstorage-webhook");
      workers.add(t);
      t.start();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Queues a notice for a webhook and returns at once. */
  public void submit(Webhook webhook, Notice notice) {
    synchronized (this) {
      if (closed) {
        return;
      }
      unfinished++;
      enqueue(new Job(webhook, notice, 1));
    }
  }

  private void enqueue(Job job) {
    synchronized (this) {
      if (queue.size() >= settings.queueSize()) {
        Job dropped = queue.pollFirst();
        unfinished--;
        log.accept("notifications: the queue of " + settings.queueSize() + " is full; dropped the oldest ("
            + dropped.notice().code() + " for " + dropped.webhook() + ")");
      }
      queue.addLast(job);
      notifyAll();
    }
  }

  private void work() {
    while (true) {
      Job job;
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        job = queue.pollFirst();
      }
      Delivery d = send(job.webhook(), job.notice());
      boolean retry = !d.ok() && job.attempt() < settings.attempts() && mayPass(d.status());
      if (retry) {
        Duration wait = settings.firstRetry().multipliedBy(1L << (job.attempt() - 1));
        log.accept("notifications: " + job.notice().code() + " for " + job.webhook() + " failed (try "
            + job.attempt() + " of " + settings.attempts() + "): " + d.problem() + "; trying again in "
            + wait.toMillis() + " ms");
        try {
          retries.schedule(() -> enqueue(new Job(job.webhook(), job.notice(), job.attempt() + 1)), wait.toMillis(),
              TimeUnit.MILLISECONDS);
          continue;
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing: the notice is given up below
        }
      } else if (!d.ok()) {
        log.accept("notifications: gave up on " + job.notice().code() + " for " + job.webhook() + " after "
            + job.attempt() + " tries: " + d.problem());
      }
      synchronized (this) {
        unfinished--;
        notifyAll();
      }
    }
  }

  /** Network errors, timeouts, 408, 429 and 5xx may pass; other answers (404, 401...) will not. */
  private static boolean mayPass(int status) {
    return status < 0 || status == 408 || status == 429 || status >= 500;
  }

  /** One try, on the caller's thread (the sending threads, and {@code notify test}). */
  public Delivery send(Webhook webhook, Notice notice) {
    try {
      HttpResponse<Void> r = http.send(webhook.format().request(webhook.url(), notice, settings.timeout()),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 2 ? new Delivery(r.statusCode(), null)
          : new Delivery(r.statusCode(), "HTTP " + r.statusCode());
    } catch (IOException e) {
      return new Delivery(-1, describe(e, webhook));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Delivery(-1, "interrupted");
    } catch (IllegalArgumentException e) {
      return new Delivery(-1, "the URL cannot be used: " + scrub(e.getMessage(), webhook));
    }
  }

  private static String describe(IOException e, Webhook webhook) {
    String m = e.getMessage() == null ? "" : ": " + e.getMessage();
    return scrub(e.getClass().getSimpleName() + m, webhook);
  }

  /** A message from the HTTP client could quote the URL: the secret parts go. */
  private static String scrub(String message, Webhook webhook) {
    String m = String.valueOf(message);
    String raw = webhook.url().toString();
    return m.replace(raw, webhook.masked());
  }

  /**
   * Waits until every notice submitted so far was delivered or given up, at most {@code limit};
   * returns how many were still unfinished then.
   */
  public int drain(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (this) {
      while (unfinished > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return unfinished;
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    retries.shutdownNow();
    workers.forEach(Thread::interrupt);
  }
}
