package org.selfstorage.cli;

import java.nio.file.Path;
import java.time.Clock;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.RunningAgent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "selfstorage",
    mixinStandardHelpOptions = true,
    version = "selfstorage 0.1.0",
    description = {
      "Encrypted, deduplicated, erasure-coded backups shared between trusted self-hosters.",
      "",
      "Start with: selfstorage init, then store add, source add, backup;",
      "with friends: selfstorage agent, invite and join. Try it all: selfstorage demo."
    },
    subcommands = {
      InitCommand.class,
      StoreCommand.class,
      SourceCommand.class,
      BackupCommand.class,
      SnapshotsCommand.class,
      TagCommand.class,
      LsCommand.class,
      DumpCommand.class,
      DiffCommand.class,
      FindCommand.class,
      RestoreCommand.class,
      CheckCommand.class,
      RepairCommand.class,
      AuditCommand.class,
      StatusCommand.class,
      StatsCommand.class,
      EventsCommand.class,
      ConfigCommand.class,
      RecoverCommand.class,
      DoctorCommand.class,
      NotifyCommand.class,
      KeyCommand.class,
      PolicyCommand.class,
      ForgetCommand.class,
      PruneCommand.class,
      InviteCommand.class,
      JoinCommand.class,
      PartnersCommand.class,
      AgentCommand.class,
      UiCommand.class,
      DemoCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 snapshot incomplete (some files not stored consistently)."})
final class SelfstorageCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--home", paramLabel = "DIR",
      description = "The agent's state directory (default: $SELFSTORAGE_HOME, else ~/.selfstorage).")
  Path home;

  private final Console console;
  private final RunningAgent running;

  private SelfstorageCommand(Console console, RunningAgent running) {
    this.console = console;
    this.running = running;
  }

  /**
   * The command tree for one invocation, writing to {@code console} and resolving paths against its
   * directory; {@code running} is the agent this process runs when the command was handed to it
   * (null otherwise).
   */
  static CommandLine newCommandLine(Console console, RunningAgent running) {
    CommandLine cl = new CommandLine(new SelfstorageCommand(console, running));
    cl.setExecutionExceptionHandler(new ExitCodes());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // the descriptions are written as lines of up to about 110 characters: at picocli's default of
    // 80 each would break in two, mid-sentence
    cl.setUsageHelpWidth(112);
    cl.registerConverter(Path.class, s -> console.workingDir().resolve(s));
    cl.setOut(new java.io.PrintWriter(console.out(), true));
    cl.setErr(new java.io.PrintWriter(console.err(), true));
    return cl;
  }

  Console console() {
    return console;
  }

  /** The agent this process runs, when the command was handed to it; null when it runs on its own. */
  RunningAgent running() {
    return running;
  }

  Home resolvedHome() {
    return Home.resolve(home);
  }

  Agent openAgent() {
    return running != null ? running.openAgent() : Agent.open(resolvedHome(), Clock.systemDefaultZone());
  }

  @Override
  public void run() {
    spec.commandLine().usage(console.out());
  }

  /** The top-level command of any command in the tree, for the shared --home option. */
  static SelfstorageCommand of(CommandLine.Model.CommandSpec spec) {
    return (SelfstorageCommand) spec.root().userObject();
  }
}
