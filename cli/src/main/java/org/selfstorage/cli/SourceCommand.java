package org.selfstorage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.SourceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "source", mixinStandardHelpOptions = true,
    description = "Manage sources: the directory trees you back up.",
    subcommands = {SourceCommand.Add.class, SourceCommand.Set.class, SourceCommand.ListSources.class})
final class SourceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a directory to back up.")
  static final class Add implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The directory to back up.")
    Path dir;

    @Option(names = "--name", required = true, description = "A short name for it, used by backup.")
    String name;

    @Option(names = "--schedule", paramLabel = "WHEN", description = SCHEDULE_HELP)
    String schedule;

    @Option(names = "--exclude", paramLabel = "PATTERN", description = EXCLUDE_HELP)
    List<String> excludes = new ArrayList<>();

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SourceInfo s = agent.addSource(dir, name, schedule, excludes);
        spec.commandLine().getOut().println("Added source " + s.name() + " (" + s.path() + ")"
            + (s.schedule() == null ? "" : ", backed up " + s.schedule() + " by the running agent")
            + leavesOut(s));
        spec.commandLine().getOut().println("Next: selfstorage backup " + s.name());
      }
      return ExitCodes.OK;
    }
  }

  static final String SCHEDULE_HELP = "When the running agent backs it up by itself: hourly, daily (02:00), weekly "
      + "(Sunday 02:00) or a cron expression such as '30 3 * * 1-5'; runs missed while the machine was off are caught "
      + "up once; then forget and prune by the source's policy.";

  static final String EXCLUDE_HELP = "Leave out what matches PATTERN; repeatable. Without a slash it matches a "
      + "name at any depth ('*.tmp', 'node_modules'); with one, the path from the source's top ('build/cache', "
      + "'/notes.txt', 'photos/**/raw'). * and ? stay within a name, ** crosses directories. A directory left "
      + "out is not read.";

  /** The excludes of {@code s} as the end of a sentence; empty when it has none. */
  static String leavesOut(SourceInfo s) {
    return s.excludes().isEmpty() ? "" : "; leaves out " + Terminal.escape(String.join(", ", s.excludes()));
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Change a source's schedule or what it leaves out (from its next backup on).")
  static final class Set implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--schedule", paramLabel = "WHEN",
        description = SCHEDULE_HELP + " 'none' stops scheduled backups.")
    String schedule;

    @Option(names = "--exclude", paramLabel = "PATTERN", description = "Also leave out what matches PATTERN; "
        + "repeatable (see: selfstorage source add --help).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--no-exclude", paramLabel = "PATTERN", description = "Stop leaving out PATTERN (as "
        + "source list shows it); repeatable.")
    List<String> drops = new ArrayList<>();

    @Override
    public Integer call() {
      if (schedule == null && excludes.isEmpty() && drops.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Say what to change: --schedule WHEN, --exclude PATTERN or --no-exclude PATTERN");
      }
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SourceInfo s = schedule == null ? null : agent.setSchedule(name, schedule);
        if (!excludes.isEmpty() || !drops.isEmpty()) {
          s = agent.changeExcludes(name, excludes, drops);
        }
        spec.commandLine().getOut().println(s.name() + (s.schedule() == null ? ": backed up by hand only"
            : ": backed up " + s.schedule() + " by the running agent (selfstorage agent)") + leavesOut(s));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sources.")
  static final class ListSources implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        if (json.enabled) {
          Json.print(SelfstorageCommand.of(spec).console().out(), agent.sources());
          return ExitCodes.OK;
        }
        for (SourceInfo s : agent.sources()) {
          SelfstorageCommand.of(spec).console().out().printf("%-20s %-14s %s%s%n", s.name(),
              s.schedule() == null ? "by hand" : s.schedule(), Terminal.escape(s.path()), leavesOut(s));
        }
      }
      return ExitCodes.OK;
    }
  }
}
