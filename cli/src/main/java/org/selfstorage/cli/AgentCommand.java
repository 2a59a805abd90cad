package org.selfstorage.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.RunningAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run the agent in the foreground: the SSH server partners keep their shards on, and the",
        "timers that watch partners. Logs to stdout; stops cleanly on Ctrl-C or SIGTERM.",
        "While it runs, other selfstorage commands for this home run inside it (faster: a warm process).",
        "To run it at boot, see docs/systemd/selfstorage-agent.service."})
final class AgentCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--no-warm-up",
      description = "Skip the throwaway backup the agent runs at start to compile its hot code (tests use this).")
  boolean noWarmUp;

  @CommandLine.Option(names = "--clock-offset", hidden = true, paramLabel = "ISO-8601",
      description = "For fault tests: run as if this machine's clock were off by this much (PT2H, -PT2H).")
  java.time.Duration clockOffset;

  @Override
  public Integer call() throws Exception {
    SelfstorageCommand root = SelfstorageCommand.of(spec);
    Home home = root.resolvedHome();
    var out = root.console().out();
    Consumer<String> log = line -> {
      synchronized (out) {
        out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        out.flush();
      }
    };
    Clock clock = clockOffset == null ? Clock.systemDefaultZone() : Clock.offset(Clock.systemDefaultZone(), clockOffset);
    RunningAgent running = RunningAgent.start(home, clock, log, !noWarmUp);
    ControlServer control;
    try {
      control = ControlServer.start(ControlProtocol.socketOf(home), running, log);
    } catch (java.io.IOException | UnsupportedOperationException e) {
      running.close();
      throw new AgentException("CONTROL_SOCKET_FAILED", "cannot open the control socket in "
          + home.runDir() + ": " + e.getMessage(), "use a home with a shorter path (Unix sockets allow ~100 bytes)");
    }
    Thread stopper = new Thread(() -> {
      control.close();
      running.close();
    }, "selfstorage-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    log.accept("ready; commands for " + home.dir() + " now run in this agent");
    running.awaitStop();
    return ExitCodes.OK;
  }
}
