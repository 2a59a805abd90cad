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
    subcommands = {SourceCommand.Add.class, SourceCommand.Set.class, SourceCommand.ListSources.class,
        SourceCommand.Remove.class})
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

    @Option(names = "--one-file-system", description = ONE_FILE_SYSTEM_HELP)
    boolean oneFileSystem;

    @Option(names = "--exclude-caches", description = EXCLUDE_CACHES_HELP)
    boolean excludeCaches;

    @Option(names = "--exclude-larger-than", paramLabel = "SIZE", converter = SizeLimit.class,
        description = LARGER_THAN_HELP)
    Long largerThan;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SourceInfo s = agent.addSource(dir, name, new Agent.SourceChange(schedule, excludes, List.of(), oneFileSystem,
            excludeCaches, largerThan));
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
      + "'/notes.txt', 'photos/**/raw'). * and ? stay within a name, ** crosses directories. A pattern starting "
      + "with ! keeps what an earlier one leaves out ('*.log' then '!important.log'; the last match decides). A "
      + "directory left out is not read, so nothing in it can be kept.";

  static final String ONE_FILE_SYSTEM_HELP = "Do not cross into other file systems: a directory where one is mounted "
      + "is recorded empty.";

  static final String EXCLUDE_CACHES_HELP = "Record directories marked with a CACHEDIR.TAG (bford.info/cachedir: "
      + "caches of browsers, build tools, thumbnails) empty.";

  static final String LARGER_THAN_HELP = "Leave out files over SIZE (500M, 2G); on source set, 'none' removes the "
      + "limit.";

  /** A size limit: {@code none} is 0 (no limit); a size must be more than 0. */
  static final class SizeLimit implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      if (value.trim().equalsIgnoreCase("none")) {
        return 0L;
      }
      long bytes = new Sizes.Bytes().convert(value);
      if (bytes <= 0) {
        throw new CommandLine.TypeConversionException("a size limit must be more than 0 ('none' removes it)");
      }
      return bytes;
    }
  }

  /** What {@code s} leaves out, as the end of a sentence; empty when nothing. */
  static String leavesOut(SourceInfo s) {
    return s.leavesOut().isEmpty() ? "" : "; leaves out " + Terminal.escape(String.join(", ", s.leavesOut()));
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

    @Option(names = "--one-file-system", negatable = true, description = ONE_FILE_SYSTEM_HELP
        + " --no-one-file-system crosses them again.")
    Boolean oneFileSystem;

    @Option(names = "--exclude-caches", negatable = true, description = EXCLUDE_CACHES_HELP
        + " --no-exclude-caches backs them up again.")
    Boolean excludeCaches;

    @Option(names = "--exclude-larger-than", paramLabel = "SIZE", converter = SizeLimit.class,
        description = LARGER_THAN_HELP)
    Long largerThan;

    @Override
    public Integer call() {
      if (schedule == null && excludes.isEmpty() && drops.isEmpty() && oneFileSystem == null && excludeCaches == null
          && largerThan == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Say what to change: --schedule WHEN, "
            + "--exclude PATTERN, --no-exclude PATTERN, --[no-]one-file-system, --[no-]exclude-caches or "
            + "--exclude-larger-than SIZE|none");
      }
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SourceInfo s = agent.changeSource(name, new Agent.SourceChange(schedule, excludes, drops, oneFileSystem,
            excludeCaches, largerThan));
        spec.commandLine().getOut().println(s.name() + (s.schedule() == null ? ": backed up by hand only"
            : ": backed up " + s.schedule() + " by the running agent (selfstorage agent)") + leavesOut(s));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Stop backing up a source. Its files are not touched.",
          "One with snapshots is refused unless --forget: then they are forgotten too, and prune frees their space."})
  static final class Remove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--forget", description = "Also forget every snapshot of the source.")
    boolean forget;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        int forgotten = agent.removeSource(name, forget);
        spec.commandLine().getOut().println("Removed source " + name + (forgotten == 0 ? "."
            : " and forgot its " + forgotten + " snapshot" + (forgotten == 1 ? "" : "s") + "."));
        if (forgotten > 0) {
          spec.commandLine().getOut().println("Next: selfstorage prune   (frees the space only they used)");
        }
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
