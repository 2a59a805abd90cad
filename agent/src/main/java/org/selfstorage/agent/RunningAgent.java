package org.selfstorage.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.selfstorage.agent.audit.HostScrub;
import org.selfstorage.agent.mesh.AgentProfile;
import org.selfstorage.agent.mesh.HostedMarker;
import org.selfstorage.agent.mesh.MeshRpc;
import org.selfstorage.agent.mesh.HostedRefusals;
import org.selfstorage.agent.notify.WebhookSender;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.catalog.Partner;
import org.selfstorage.federation.AgentServer;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.ServerSettings;
import org.selfstorage.federation.UsageCorrection;

/**
 * The agent daemon of one home ({@code selfstorage agent}): the SSH server partners log in to, and
 * the timers that keep partner status current and close the sessions of revoked partners. One per
 * home (a lock in {@code run/}); commands reach it through the control socket the CLI keeps beside
 * that lock.
 */
public final class RunningAgent implements AutoCloseable {
  /** How often live sessions are checked against the catalog, for revocations made by other processes. */
  static final Duration RECONCILE_EVERY = Duration.ofSeconds(2);
  /** How often schedules are looked at; a run starts at most this late. */
  static final Duration SCHEDULE_EVERY = Duration.ofSeconds(30);

  private final Agent agent;
  private final AgentServer server;
  private final FileLock lock;
  private final ScheduledExecutorService timers;
  private final Consumer<String> log;
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** Partners with an agreement at the last look, and the quota their sessions were given. */
  private final Map<String, Long> servedPartners = new HashMap<>();
  /** {@code hosting.max-rate} as last given to the server; -1 before the first look. */
  private long inboundRate = -1;
  /** One webhook sender for every command run here: deliveries and retries outlive the command. */
  private final WebhookSender sender;
  private final Map<String, AgentService.Started> services = new java.util.LinkedHashMap<>();

  private RunningAgent(Agent agent, AgentServer server, FileLock lock, Consumer<String> log) {
    this.agent = agent;
    this.server = server;
    this.lock = lock;
    this.log = log;
    this.sender = new WebhookSender(
        WebhookSender.Settings.defaults(), log);
    agent.shareSender(sender);
    // three threads: a long scheduled backup or repair must not hold up hello and the revocation check
    this.timers = Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "selfstorage-timers");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the agent of a home; fails clearly when another agent runs for it or the port is taken. */
  public static RunningAgent start(Home home, Clock clock, Consumer<String> log) {
    return start(home, clock, log, false);
  }

  /**
   * Before partners can log in: uploads a crash or power cut interrupted left temporary files in
   * their directories, never acknowledged to them; each is removed and named in the log.
   */
  private static void removeInterruptedUploads(Agent agent, Consumer<String> log) {
    for (Partner p : agent.catalog().partners().list()) {
      try {
        for (String f : Federation.removeInterruptedUploads(agent.directory().hostedDir(p.name()))) {
          log.accept("removed " + p.name() + "/" + f + ": an upload from " + p.name()
              + " that was interrupted before it completed");
        }
      } catch (IOException e) {
        log.accept("cannot clear interrupted uploads of " + p.name() + ": " + e.getMessage());
      }
    }
  }

  /**
   * As {@link #start(Home, Clock, Consumer)}; with {@code warmUp}, a background thread then runs a
   * small backup and restore in a scratch home so that the first real one does not run in a cold
   * JVM (measured: the first 300 MB backup of a fresh agent took 7.5 s, the next one 3.9 s).
   */
  public static RunningAgent start(Home home, Clock clock, Consumer<String> log, boolean warmUp) {
    FileLock lock = lockRunDir(home);
    Agent agent = null;
    try {
      agent = Agent.open(home, clock);
      AgentProfile profile = agent.profile();
      HostedMarker.verify(home.hostedDir(), agent.catalog());
      MeshRpc rpc = new MeshRpc(agent.catalog(), agent.identity(), agent.directory(), profile, clock,
          ShardFile.HEADER, log, agent.events());
      removeInterruptedUploads(agent, log);
      AgentServer server;
      try {
        server = Federation.startServer(profile.listen().host(), profile.listen().port(), agent.identity(),
            agent.directory(), rpc, ServerSettings.defaults());
      } catch (java.io.UncheckedIOException | IllegalStateException e) {
        throw new AgentException("LISTEN_FAILED", "cannot listen on " + profile.listen() + ": " + e.getMessage(),
            "stop whatever uses that port, or: selfstorage config set agent.listen HOST:PORT");
      }
      rpc.whenEpochRaised(server::epochRaised);
      RunningAgent running = new RunningAgent(agent, server, lock, log);
      server.whenRefused(new HostedRefusals(agent.events(), clock, running.timers));
      agent.servedBy(server);
      running.startTimers();
      if (warmUp) {
        running.startWarmUp(home);
      }
      log.accept("agent " + profile.name() + " listening on " + server.address() + " (host key "
          + agent.fingerprint() + "); partners reach it at " + profile.advertised());
      running.startServices(home, clock);
      return running;
    } catch (IOException e) {
      release(lock);
      if (agent != null) {
        agent.close();
      }
      throw new AgentException("HOME_UNWRITABLE", "cannot prepare " + home.hostedDir() + ": " + e.getMessage(), null);
    } catch (RuntimeException e) {
      release(lock);
      if (agent != null) {
        agent.close();
      }
      throw e;
    }
  }

  private static FileLock lockRunDir(Home home) {
    try {
      Files.createDirectories(home.runDir(), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      FileChannel ch = FileChannel.open(home.runDir().resolve("agent.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        throw new AgentException("AGENT_RUNNING", "an agent already runs for " + home.dir(),
            "selfstorage --home " + home.dir() + " partners   (commands talk to the running agent)");
      }
      return lock;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      throw new AgentException("AGENT_RUNNING", "cannot lock " + home.runDir() + ": " + e, null);
    }
  }

  private static void release(FileLock lock) {
    try {
      lock.channel().close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  /**
   * Starts what the jar offers beside the SSH server (the web UI). One that fails to start is
   * logged and left out: backups and partners matter more than a dashboard.
   */
  private void startServices(Home home, Clock clock) {
    for (AgentService service : java.util.ServiceLoader.load(AgentService.class, RunningAgent.class.getClassLoader())) {
      try {
        AgentService.Started started = service.start(new AgentService.Context(this, home, clock, log));
        synchronized (services) {
          services.put(service.name(), started);
        }
      } catch (Exception e) {
        log.accept(service.name() + " not started: " + e.getMessage());
      }
    }
  }

  /** A service started with this agent, by its name ({@code web-ui}); empty when it is not running. */
  public java.util.Optional<AgentService.Started> service(String name) {
    synchronized (services) {
      return java.util.Optional.ofNullable(services.get(name));
    }
  }

  /** Set once the warm-up has run: commands then skip their own crypto warm-up thread. */
  private volatile boolean warm;

  private void startWarmUp(Home home) {
    Thread t = new Thread(() -> {
      long start = System.nanoTime();
      try {
        int rounds = WarmUp.run(home.runDir().resolve("warm-up"), agent.clock());
        // the warm-up grew the heap like a backup does; give that back now rather than at the
        // first periodic collection, which a backup started right away would not wait for
        System.gc();
        warm = true;
        log.accept(String.format(java.util.Locale.ROOT, "warmed up in %.1f s (%d rounds)", (System.nanoTime() - start) / 1e9,
            rounds));
      } catch (Exception e) {
        log.accept("warm-up skipped: " + e.getMessage());
      }
    }, "selfstorage-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void startTimers() {
    timers.scheduleWithFixedDelay(this::reconcile, 0, RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::reloadServices, RECONCILE_EVERY.toMillis(), RECONCILE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    // how often partners are asked hello, so status, usage and partner events stay current
    Duration helloEvery = ConfigKey.parseDuration(agent.configGet(ConfigKey.AGENT_HELLO_EVERY.key()));
    timers.scheduleWithFixedDelay(this::hello, 1_000, helloEvery.toMillis(), TimeUnit.MILLISECONDS);
    // how often the agent looks for packs to heal (lost partners, packs down to k), sweeps, rebalances
    Duration healEvery = ConfigKey.parseDuration(agent.configGet(ConfigKey.REPAIR_EVERY.key()));
    timers.scheduleWithFixedDelay(this::heal, Math.min(10_000, healEvery.toMillis()), healEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::scheduledBackups, 5_000, SCHEDULE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    // ticks often so that a changed audit.every (seconds, in tests) takes effect without a restart
    timers.scheduleWithFixedDelay(this::audit, 1_000, 1_000, TimeUnit.MILLISECONDS);
  }

  private final HostScrub scrub = new HostScrub();
  private java.time.Instant lastAudit;

  /** Every audit.every: scrubs what we keep for partners, then audits what they keep for us. */
  private void audit() {
    try {
      java.time.Instant now = agent.clock().instant();
      if (lastAudit == null) {
        lastAudit = now;
      }
      if (now.isBefore(lastAudit.plus(agent.auditEvery()))) {
        return;
      }
      lastAudit = now;
      HostScrub.Outcome o = agent.scrubHosted(scrub);
      o.rotten().forEach(r -> log.accept("scrub: " + r));
      server.recountUsage().forEach(this::usageCorrected);
      AuditResult r = agent.auditIfIdle(Progress.Listener.NONE);
      if (r != null) {
        for (AuditResult.StoreAudit s : r.stores()) {
          if (s.wrongAnswers() > 0 || s.rotReported() > 0) {
            log.accept("audit: " + s.store() + " answered " + s.wrongAnswers() + " of " + s.challenged()
                + " challenges wrong and reported " + s.rotReported() + " rotten shards");
          }
        }
        r.damaged().forEach(d -> log.accept("audit: damaged " + d));
        if (r.repair() != null) {
          log.accept("audit: rebuilt " + r.repair().rebuilt().size() + " shards" + (r.repair().failed().isEmpty()
              ? "" : "; " + r.repair().failed().size() + " could not be placed (" + r.repair().failed().get(0) + ")"));
        }
      }
    } catch (RuntimeException e) {
      log.accept("audit: " + e.getMessage());
    }
  }

  /** Tells of a partner's hosted directory whose files were changed by hand (its count follows the disk now). */
  private void usageCorrected(UsageCorrection c) {
    String who = agent.catalog().partners().list().stream()
        .filter(p -> agent.directory().hostedDir(p.name()).equals(c.root())).map(Partner::name).findFirst()
        .orElse(c.root().getFileName().toString());
    String what = "the shards " + who + " keeps here take " + Amounts.size(c.onDisk()) + ", not "
        + Amounts.size(c.counted()) + " as counted: files in " + c.root() + " were "
        + (c.onDisk() < c.counted() ? "removed" : "added or changed") + " outside selfstorage. Its quota is "
        + "counted from the disk again";
    log.accept("usage: " + what);
    agent.events().record("HOSTED_USAGE_CORRECTED", "warning", what, c.onDisk() < c.counted()
        ? "nothing here; " + who + "'s audits find the shards that are gone and it rebuilds them elsewhere. Remove "
            + "nothing by hand from " + c.root() + ": to give " + who + " less room, selfstorage partners set-quota "
            + who + " SIZE"
        : "look at what was put in " + c.root() + "; only selfstorage should write there");
  }

  /**
   * Brings live sessions in line with the agreements, whichever process changed them since the last
   * look: closes those of partners whose agreement ended, and gives a changed quota to the others'.
   */
  private void reconcile() {
    try {
      long inbound = ConfigKey.parseRate(agent.configGet(ConfigKey.HOSTING_MAX_RATE.key()));
      if (inbound != inboundRate) {
        server.limitInbound(inbound);
        if (inboundRate >= 0 || inbound > 0) {
          log.accept(inbound == 0 ? "partners may send shards here as fast as they can"
              : "each partner may send shards here at up to " + Amounts.size(inbound) + "/s");
        }
        inboundRate = inbound;
      }
      Map<String, Long> active = new HashMap<>();
      for (Partner p : agent.catalog().partners().list()) {
        if (p.revokedAt() == null) {
          active.put(p.name(), p.hostsForThem());
          Long before = servedPartners.get(p.name());
          if (before != null && before != p.hostsForThem()) {
            server.quotaChanged(agent.directory().hosted(p));
            log.accept("partner " + p.name() + " may now keep up to " + p.hostsForThem() + " bytes here");
          }
        }
      }
      for (String gone : Set.copyOf(servedPartners.keySet())) {
        if (!active.containsKey(gone)) {
          server.disconnect(new HostedPartner(gone, agent.directory().hostedDir(gone), 0));
          log.accept("partner " + gone + " revoked: its sessions were closed");
        }
      }
      servedPartners.clear();
      servedPartners.putAll(active);
    } catch (RuntimeException e) {
      log.accept("checking agreements failed: " + e.getMessage());
    }
  }

  /**
   * Lets the services take up what another process changed in the home since the last look (a UI
   * token replaced by {@code ui --new-token} run outside the agent, or its file deleted).
   */
  private void reloadServices() {
    List<AgentService.Started> started;
    synchronized (services) {
      started = List.copyOf(services.values());
    }
    for (AgentService.Started s : started) {
      try {
        s.reload();
      } catch (RuntimeException e) {
        log.accept("reloading a service failed: " + e.getMessage());
      }
    }
  }

  private Map<Long, Set<String>> surplus = Map.of();
  private java.time.Instant lastSweep = java.time.Instant.EPOCH;

  private void heal() {
    try {
      java.time.Instant now = agent.clock().instant();
      if (!now.isBefore(lastSweep.plus(agent.sweepEvery()))) {
        lastSweep = now;
        surplus = agent.sweepSurplus(surplus);
      }
      RepairResult r = agent.heal(Progress.Listener.NONE);
      watch(); // after a rebuild, "redundancy restored" is said now rather than at the next hello
      if (r != null) {
        log.accept("self-healing: rebuilt " + r.rebuilt().size() + " shards" + (r.failed().isEmpty() ? ""
            : "; " + r.failed().size() + " could not be placed (" + r.failed().get(0) + ")"));
      } else {
        var moved = agent.rebalance();
        if (moved != null && !moved.moved().isEmpty()) {
          log.accept("rebalancing: moved " + moved.moved().size() + " shards (" + moved.bytes() + " bytes)");
        }
      }
    } catch (RuntimeException e) {
      log.accept("self-healing: " + e.getMessage());
    }
  }

  /** Work that ran at least this long may have grown the heap by hundreds of MB (see {@link #workDone}). */
  private static final Duration HEAVY_WORK = Duration.ofSeconds(1);

  /**
   * Gives back the heap that a finished piece of work grew. A backup or restore leaves G1 with
   * 300-400 MB committed around 120 MB still live, and G1 returns it only after a minute without
   * any collection ({@code G1PeriodicGCInterval}) or, partly, at the next command's own
   * collections: the bench's no-change backup right after the initial one peaked at 350-390 MB
   * while allocating almost nothing. A full collection of what is left takes tens of
   * milliseconds, and shrinks the heap to the launcher's {@code MaxHeapFreeRatio}.
   */
  public void workDone(Duration took) {
    if (took.compareTo(HEAVY_WORK) >= 0) {
      System.gc();
    }
  }

  private void scheduledBackups() {
    long start = System.nanoTime();
    try {
      for (Agent.ScheduledRun r : agent.runScheduled(agent.clock().instant())) {
        log.accept(r.problem() == null ? "scheduled backup of " + r.source() + ": snapshot "
            + r.snapshot().substring(0, 8) + (r.forgotten() == null ? "" : ", " + r.forgotten().forgotten()
            + " snapshots forgotten") + (r.pruned() == null ? "" : ", " + r.pruned().bytesFreed() + " bytes freed")
            : "scheduled backup of " + r.source() + " failed: " + r.problem());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.accept("scheduled backups: " + e.getMessage());
    } finally {
      workDone(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void hello() {
    try {
      Map<String, String> failures = agent.mesh().probe();
      failures.forEach((name, why) -> log.accept("partner " + name + " unreachable: " + why));
    } catch (RuntimeException e) {
      log.accept("contacting partners failed: " + e.getMessage());
    }
    try {
      agent.checkHostedDisk();
    } catch (RuntimeException e) {
      log.accept("checking the disk for partners' shards failed: " + e.getMessage());
    }
    watch();
  }

  /** Records what changed since the last look (partners, quotas, redundancy) as events. */
  private synchronized void watch() {
    try {
      agent.watch();
    } catch (RuntimeException e) {
      log.accept("watching partners and packs failed: " + e.getMessage());
    }
  }

  public int port() {
    return server.port();
  }

  /**
   * An agent of the same home for one command run inside this process: revoking a partner through
   * it closes the partner's sessions on this server at once.
   */
  public Agent openAgent() {
    Agent a = Agent.open(agent.home(), agent.clock());
    a.servedBy(server);
    a.shareLinks(agent.links());
    a.shareRepairs(agent);
    a.shareSender(sender);
    if (warm) {
      a.jvmIsWarm();
    }
    return a;
  }

  /** Blocks until {@link #close} is called. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    synchronized (services) {
      services.values().forEach(AgentService.Started::close);
      services.clear();
    }
    timers.shutdownNow();
    // notices of the last moments get a short chance to go out
    sender.drain(Duration.ofSeconds(2));
    sender.close();
    server.close();
    agent.close();
    release(lock);
    log.accept("agent stopped");
    stopped.countDown();
  }
}
