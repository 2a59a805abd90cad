package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.RepairResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "repair", mixinStandardHelpOptions = true,
    description = {"Rebuild missing or damaged shards from the good ones (reads every shard).",
        "A rebuilt shard goes back to its store, or to a store on a site that holds no other shard of its pack."})
final class RepairCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    RepairResult r = progress.run(json, (agent, l) -> agent.repair(l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
    } else {
      out.printf("checked %d packs, rebuilt %d shards%n", r.packsChecked(), r.rebuilt().size());
      r.rebuilt().forEach(s -> out.println("  rebuilt " + s));
      if (!r.failed().isEmpty()) {
        out.println("FAILED:");
        r.failed().forEach(s -> out.println("  " + s));
        out.println("Next: selfstorage store add DIR --site NAME   (a new site to rebuild onto)");
      }
    }
    return r.failed().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
