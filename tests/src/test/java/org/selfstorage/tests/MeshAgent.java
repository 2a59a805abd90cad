package org.selfstorage.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One agent of a test mesh: its own home, its own loopback address (127.0.0.x, never another
 * address), and its daemon ({@code selfstorage agent}) as a separate process, driven through the CLI.
 */
final class MeshAgent implements AutoCloseable {
  final String name;
  final Repo repo;
  final String host;
  final int port;
  private final Path log;
  private Process process;
  private long logStart;

  private MeshAgent(String name, Repo repo, String host, int port) {
    this.name = name;
    this.repo = repo;
    this.host = host;
    this.port = port;
    this.log = repo.dir.resolve("agent.log");
  }

  /** Initialises a home for {@code name} listening on {@code host} (a 127.0.0.x address) and a free port. */
  static MeshAgent create(Path dir, String name, String host) throws Exception {
    MeshAgent a = new MeshAgent(name, new Repo(dir.resolve(name)), host, freePort(host));
    a.repo.ok("init", "--name", name, "--listen", a.address());
    return a;
  }

  /**
   * Like {@link #create}, but partners are told to reach this agent at {@code advertise} (a
   * {@link FaultProxy} in front of it, say) while it listens on its own address.
   */
  static MeshAgent createAdvertised(Path dir, String name, String host, int port, String advertise) throws Exception {
    MeshAgent a = new MeshAgent(name, new Repo(dir.resolve(name)), host, port);
    a.repo.ok("init", "--name", name, "--listen", a.address(), "--advertise", advertise);
    return a;
  }

  /** A port free on {@code host} (a 127.0.0.x address) right now. */
  static int freePort(String host) throws IOException {
    if (!host.startsWith("127.")) {
      throw new IllegalArgumentException("tests listen on loopback only: " + host);
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  /** An agent for a home made some other way (a recovered one), on the given address. */
  static MeshAgent adopt(Repo repo, String name, String host, int port) {
    return new MeshAgent(name, repo, host, port);
  }

  String address() {
    return host + ":" + port;
  }

  Path home() {
    return repo.home;
  }

  /** Starts the daemon and waits (with a deadline) until it says it is ready. */
  MeshAgent start(String... extra) throws Exception {
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("agent", "--no-warm-up"),
        java.util.Arrays.stream(extra)).toArray(String[]::new);
    ProcessBuilder pb = new ProcessBuilder(Cli.command(repo.home, args));
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    logStart = Files.exists(log) ? Files.size(log) : 0;
    process = pb.start();
    awaitLog("ready;", Duration.ofSeconds(60));
    return this;
  }

  /** Waits until this run of the agent (not an earlier one) logs {@code text}. */
  void awaitLog(String text, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
          .substring((int) Math.min(logStart, Files.size(log))).contains(text)) {
        return;
      }
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(name + "'s agent exited: " + log());
      }
      Thread.sleep(50); // polling the log file, bounded by the deadline
    }
    throw new IllegalStateException(name + "'s agent did not log '" + text + "' within " + limit + ": " + log());
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
  }

  /** SIGTERM, as systemd stops it; waits for the process to end. */
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** SIGKILL: the machine or process dies without a word. */
  void kill() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGSTOP: the process keeps its sockets (the kernel still accepts connections) but does nothing. */
  void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  void resume() throws Exception {
    signal("CONT");
  }

  long pid() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(name + "'s agent is not running");
    }
    return process.pid();
  }

  private void signal(String sig) throws Exception {
    Trees.run("kill", "-" + sig, Long.toString(pid()));
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  Cli.Result run(String... args) throws Exception {
    return repo.run(args);
  }

  Cli.Result ok(String... args) throws Exception {
    return repo.ok(args);
  }

  com.fasterxml.jackson.databind.JsonNode json(String... args) throws Exception {
    return repo.json(args);
  }

  /** Issues an invitation and returns its code. */
  String invite(String quota, String... more) throws Exception {
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("invite", "--quota", quota),
        java.util.stream.Stream.of(more)).toArray(String[]::new);
    return json(args).get("code").asText();
  }

  /** The entry called {@code name} in a JSON list such as {@code partners --json}. */
  static com.fasterxml.jackson.databind.JsonNode row(com.fasterxml.jackson.databind.JsonNode list, String name) {
    for (com.fasterxml.jackson.databind.JsonNode n : list) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no row " + name + " in " + list);
  }

  @Override
  public void close() throws Exception {
    kill();
  }
}
