package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.ForgetResult;
import org.selfstorage.agent.PruneResult;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "forget", mixinStandardHelpOptions = true,
    description = {"Apply the retention policies: list every snapshot with the rules that keep it, and forget the rest.",
        "With --tag, apply them among the snapshots carrying one of the tags alone (the others stay).",
        "With --snapshot, forget exactly the snapshots named instead (policies are not applied).",
        "Forgetting removes snapshot records only; prune (or --prune) frees the space on stores and partners."})
final class ForgetCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "Only this source (default: every source).")
  String source;

  @Option(names = "--snapshot", paramLabel = "SNAPSHOT",
      description = "Forget this snapshot (latest, an id or a unique prefix; repeatable), not what the policies say.")
  java.util.List<String> snapshots = new java.util.ArrayList<>();

  @Option(names = "--tag", paramLabel = "TAG",
      description = "Apply the policies among the snapshots with this tag alone (repeatable: any of them).")
  java.util.List<String> tags = new java.util.ArrayList<>();

  @Option(names = "--dry-run", description = "Show what would be forgotten; change nothing.")
  boolean dryRun;

  @Option(names = "--prune", description = "Prune right after forgetting.")
  boolean prune;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    var out = SelfstorageCommand.of(spec).console().out();
    if (!tags.isEmpty() && !snapshots.isEmpty()) {
      throw new UsageException("FORGET_AMBIGUOUS", "give --tag (apply the policies among those snapshots) or "
          + "--snapshot (forget exactly those), not both", "selfstorage forget --tag " + tags.get(0) + " --dry-run");
    }
    if (source != null && !snapshots.isEmpty()) {
      throw new UsageException("FORGET_AMBIGUOUS", "give a SOURCE (apply its policy) or --snapshot (forget exactly "
          + "those), not both", "selfstorage forget --snapshot " + snapshots.get(0) + " --dry-run");
    }
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      ForgetResult r = snapshots.isEmpty() ? agent.forget(source, tags, dryRun) : agent.forgetSnapshots(snapshots, dryRun);
      PruneResult pruned = null;
      if (prune && !dryRun) {
        try {
          pruned = agent.prune(progress.listener(json));
        } finally {
          progress.end(json);
        }
      }
      if (json.enabled) {
        Json.print(out, pruned == null ? r : java.util.Map.of("forget", r, "prune", pruned));
        return ExitCodes.OK;
      }
      for (ForgetResult.SourceVerdicts s : r.sources()) {
        out.println(s.source() + " (" + s.policy() + "):");
        for (ForgetResult.Entry e : s.snapshots()) {
          out.printf("  %s  %s  %s%n", e.id().substring(0, 8), SnapshotsCommand.TIME.format(e.time()),
              e.kept() ? "keep: " + String.join(", ", e.keptBy()) : (dryRun ? "would forget" : "forgotten"));
        }
      }
      out.println(r.forgotten() + " snapshots " + (dryRun ? "would be forgotten (dry run: nothing changed)"
          : "forgotten"));
      if (pruned != null) {
        PruneCommand.print(out, pruned);
      } else if (!dryRun && r.forgotten() > 0) {
        out.println("Next: selfstorage prune   (frees the space they held)");
      }
    }
    return ExitCodes.OK;
  }
}
