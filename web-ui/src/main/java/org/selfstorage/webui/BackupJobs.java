package org.selfstorage.webui;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.Progress;

/**
 * Backups started from the UI ("Back up now"): run one at a time on their own thread, each with
 * its own agent, so a request only queues one and answers at once. The outcome is kept for the UI
 * to poll, and lands in the catalog as any backup's does (events, last backup).
 */
final class BackupJobs implements AutoCloseable {
  private static final int KEEP = 50;

  /**
   * One backup as the UI shows it; {@code state} is queued, running, done or failed, {@code progress}
   * where it stands (files and bytes read so far, the file at hand; null until the first report).
   */
  record Job(long id, String source, String state, Instant queued, Instant started, Instant finished,
      String snapshot, String code, String message, String fix, Progress progress) {
    static Job queued(long id, String source, Instant at) {
      return new Job(id, source, "queued", at, null, null, null, null, null, null, null);
    }

    Job running(Instant at) {
      return new Job(id, source, "running", queued, at, null, null, null, null, null, progress);
    }

    Job progressed(Progress now) {
      return new Job(id, source, state, queued, started, finished, snapshot, code, message, fix, now);
    }

    Job done(Instant at, String snapshotId) {
      return new Job(id, source, "done", queued, started, at, snapshotId, null, null, null, progress);
    }

    Job failed(Instant at, String failure, String why, String next) {
      return new Job(id, source, "failed", queued, started, at, null, failure, why, next, progress);
    }
  }

  private final AgentCalls calls;
  private final Clock clock;
  private final Consumer<String> log;
  private final Runnable changed;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(
      WebServer.daemonThreads("selfstorage-ui-backup"));
  private final Map<Long, Job> jobs = new LinkedHashMap<>();
  private long nextId = 1;

  BackupJobs(AgentCalls calls, Clock clock, Consumer<String> log, Runnable changed) {
    this.calls = calls;
    this.clock = clock;
    this.log = log;
    this.changed = changed;
  }

  /** Queues a backup of a source, or returns the one already waiting or running for it. */
  synchronized Job start(String source) {
    for (Job j : jobs.values()) {
      if (j.source().equals(source) && (j.state().equals("queued") || j.state().equals("running"))) {
        return j;
      }
    }
    Job job = Job.queued(nextId++, source, clock.instant());
    put(job);
    runner.submit(() -> run(job.id()));
    return job;
  }

  private void run(long id) {
    Job job = update(id, j -> j.running(clock.instant()));
    try (Agent agent = calls.open()) {
      // the agent reports a few times a second at most: each report replaces the job the UI polls
      BackupResult r = agent.backup(job.source(), null, p -> update(id, j -> j.progressed(p)));
      Progress whole = new Progress("backup", r.files(), r.bytes(), r.bytes(), r.addedBytes(), "");
      update(id, j -> j.done(clock.instant(), r.snapshotId()).progressed(whole));
      log.accept("backup of " + job.source() + " started from the web UI: snapshot " + r.snapshotId().substring(0, 8));
    } catch (AgentException e) {
      update(id, j -> j.failed(clock.instant(), e.code(), e.getMessage(), e.fix()));
      log.accept("backup of " + job.source() + " started from the web UI failed: " + e.getMessage());
    } catch (InterruptedException e) {
      update(id, j -> j.failed(clock.instant(), "INTERRUPTED", "the agent stopped during the backup", "start it again"));
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      update(id, j -> j.failed(clock.instant(), "INTERNAL", String.valueOf(e), null));
      log.accept("backup of " + job.source() + " started from the web UI failed: " + e);
    } finally {
      changed.run();
    }
  }

  private synchronized Job update(long id, java.util.function.UnaryOperator<Job> change) {
    Job j = change.apply(jobs.get(id));
    jobs.put(id, j);
    return j;
  }

  private void put(Job job) {
    jobs.put(job.id(), job);
    if (jobs.size() > KEEP) {
      Long oldest = jobs.keySet().iterator().next();
      String state = jobs.get(oldest).state();
      if (state.equals("done") || state.equals("failed")) {
        jobs.remove(oldest);
      }
    }
  }

  synchronized Optional<Job> get(long id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Newest first. */
  synchronized List<Job> list() {
    List<Job> out = new ArrayList<>(jobs.values());
    java.util.Collections.reverse(out);
    return out;
  }

  /** The newest job of a source, if any. */
  synchronized Optional<Job> latest(String source) {
    return list().stream().filter(j -> j.source().equals(source)).findFirst();
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
