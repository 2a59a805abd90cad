package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.SnapshotDiff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"What changed between two snapshots, one line per entry:",
        "  +  added    -  removed    M  content changed    T  type changed    U  only mode, owner or time changed",
        "Unchanged directories are skipped without reading them (same tree, same id)."})
final class DiffCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FROM", description = "The older snapshot: an id, a unique prefix, or latest.")
  String from;

  @Parameters(index = "1", paramLabel = "TO", description = "The newer snapshot: an id, a unique prefix, or latest.")
  String to;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    SnapshotDiff d;
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      d = agent.diff(from, to);
    }
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, d);
      return ExitCodes.OK;
    }
    out.println("comparing snapshot " + d.from().shortId() + " (" + SnapshotsCommand.TIME.format(d.from().time())
        + ") with " + d.to().shortId() + " (" + SnapshotsCommand.TIME.format(d.to().time()) + ")");
    for (SnapshotDiff.Change c : d.changes()) {
      out.println(c.kind() + "    " + Terminal.escape(c.path()) + (c.type().equals("dir") ? "/" : ""));
    }
    out.printf("%d added, %d removed, %d changed, %d type changed, %d metadata only; files: +%s, -%s%n", d.count("+"),
        d.count("-"), d.count("M"), d.count("T"), d.count("U"), Terminal.size(d.bytesAdded()),
        Terminal.size(d.bytesRemoved()));
    return ExitCodes.OK;
  }
}
