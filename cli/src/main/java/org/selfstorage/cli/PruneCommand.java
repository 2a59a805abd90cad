package org.selfstorage.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.selfstorage.agent.PruneResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Free the space of data no snapshot uses, on every store and partner.",
        "Unused packs are deleted (their quota comes back); mostly unused ones are rewritten",
        "(config prune.repack-unused-percent).",
        "Safe to interrupt: nothing a snapshot uses is deleted, and the next prune finishes the work."})
final class PruneCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    PruneResult r = progress.run(json, (agent, l) -> agent.prune(l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
    } else {
      print(out, r);
    }
    return ExitCodes.OK;
  }

  static void print(PrintStream out, PruneResult r) {
    out.printf("prune: %d packs deleted, %d repacked, %d blobs removed; %d shard files deleted, %s freed, in %s%n",
        r.packsDeleted(), r.packsRepacked(), r.blobsRemoved(), r.shardFilesDeleted(), Terminal.size(r.bytesFreed()),
        Terminal.duration(r.elapsed()));
    if (r.pendingDeletes() > 0) {
      out.println("  " + r.pendingDeletes() + " shard files could not be deleted yet (a store or partner is away); "
          + "Next: selfstorage prune   (when it is back)");
    }
  }
}
