package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.CheckResult;
import org.selfstorage.agent.ReadSubset;
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

  @Option(names = "--read-data-subset", paramLabel = "N/M|P%", description = "Read and verify part of the stored "
      + "data: part N of M (1/7 today, 2/7 tomorrow, ...: the M parts together are every pack), or a random P% of "
      + "the packs. The others are checked for presence and size.")
  String subset;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    if (readData && subset != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--read-data reads everything: give it or "
          + "--read-data-subset, not both");
    }
    ReadSubset read = subset != null ? Agent.readSubset(subset) : readData ? ReadSubset.ALL : ReadSubset.NONE;
    CheckResult r = progress.run(json, (agent, l) -> agent.check(read, l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
      return r.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
    out.printf("checked %d snapshots, %d trees, %d packs%s%n", r.snapshots(), r.trees(), r.packs(),
        r.readData() ? ", read " + (r.packsRead() < r.packs() ? r.packsRead() + " of them in full, " : "")
            + r.shardsRead() + " shards (" + Terminal.size(r.bytesRead()) + ")" : "");
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
