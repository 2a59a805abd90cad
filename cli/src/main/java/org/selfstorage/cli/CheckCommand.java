package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.CheckResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check that every snapshot can be restored.",
        "Without --read-data: the catalog, every tree, and that every shard file is present with the right size.",
        "With --read-data: also read every shard, verify its checksum and tag, and authenticate every blob."})
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--read-data", description = "Read and verify all stored data.")
  boolean readData;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    CheckResult r = progress.run(json, (agent, l) -> agent.check(readData, l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
      return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
    out.printf("checked %d snapshots, %d trees, %d packs%s%n", r.snapshots(), r.trees(), r.packs(),
        r.readData() ? ", read " + r.shardsRead() + " shards (" + Terminal.size(r.bytesRead()) + ")" : "");
    r.notes().forEach(n -> out.println("note: " + n));
    if (!r.damaged().isEmpty()) {
      out.println("DAMAGED: " + r.damaged().size() + " shards are missing or damaged:");
      r.damaged().forEach(d -> out.println("  " + d));
    }
    if (!r.errors().isEmpty()) {
      out.println("ERRORS: " + r.errors().size() + " problems lose data:");
      r.errors().forEach(d -> out.println("  " + d));
    }
    if (r.ok()) {
      out.println("no problems found");
      return ExitCodes.OK;
    }
    if (r.errors().isEmpty()) {
      out.println("All data can still be restored from the other shards.");
    }
    out.println("Next: selfstorage repair");
    return ExitCodes.FAILURE;
  }
}
