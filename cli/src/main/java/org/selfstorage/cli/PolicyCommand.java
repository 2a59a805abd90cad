package org.selfstorage.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.RetentionPolicy;
import org.selfstorage.agent.SourceInfo;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "policy", mixinStandardHelpOptions = true,
    description = {"Retention policies: which snapshots of a source forget keeps.",
        "The rules are restic's: --keep-daily 7 keeps the newest snapshot of each of the 7 newest days that have one."},
    subcommands = {PolicyCommand.Set.class, PolicyCommand.Show.class})
final class PolicyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Set a source's policy (replaces the old one). Counts: -1 means unlimited.",
          "Buckets (hours, days, ISO weeks, months, years) are in this machine's time zone;",
          "--keep-within counts back from the newest snapshot, not from now."})
  static final class Set implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SOURCE") String source;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.") int last;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Newest of each of the N newest hours.") int hourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Newest of each of the N newest days.") int daily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Newest of each of the N newest ISO weeks.") int weekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Newest of each of the N newest months.") int monthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "Newest of each of the N newest years.") int yearly;

    @Option(names = "--keep-within", paramLabel = "DURATION", converter = Sizes.Period.class,
        description = "Every snapshot younger than this, counted from the newest one, e.g. 14d.")
    Duration within;

    @Option(names = "--keep-tag", paramLabel = "TAG",
        description = "Every snapshot with this tag (repeatable), e.g. before-upgrade: see selfstorage tag.")
    java.util.List<String> keepTags = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      RetentionPolicy p;
      try {
        p = new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, within, keepTags);
      } catch (IllegalArgumentException e) {
        throw new UsageException("POLICY_INVALID", e.getMessage(),
            "selfstorage policy set " + source + " --keep-daily 7 --keep-weekly 4");
      }
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        agent.setPolicy(source, p);
      }
      SelfstorageCommand.of(spec).console().out().println("policy of " + source + ": " + p.describe()
          + "\nNext: selfstorage forget " + source + " --dry-run");
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the policy of one source or of all.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SOURCE", arity = "0..1") String source;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      Map<String, RetentionPolicy> policies = new LinkedHashMap<>();
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        if (source != null) {
          policies.put(source, agent.policy(source));
        } else {
          for (SourceInfo s : agent.sources()) {
            policies.put(s.name(), agent.policy(s.name()));
          }
        }
      }
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, policies);
      } else {
        policies.forEach((name, p) -> out.printf("%-20s %s%n", name, p.describe()));
      }
      return ExitCodes.OK;
    }
  }
}
