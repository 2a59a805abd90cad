package org.selfstorage.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.EntryInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the files of a snapshot (recursively).")
final class LsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id, or a unique prefix of one.")
  String snapshot;

  @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "Only this path and what is under it.")
  String path;

  @CommandLine.Mixin JsonOption json;

  @Option(names = {"-l", "--long"}, description = "Show mode, size and time.")
  boolean longFormat;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      List<EntryInfo> entries = agent.list(snapshot, path);
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, entries);
        return ExitCodes.OK;
      }
      for (EntryInfo e : entries) {
        String name = Terminal.escape(e.path()) + (e.type().equals("dir") ? "/" : "")
            + (e.linkTarget() != null ? " -> " + Terminal.escape(e.linkTarget()) : "");
        if (longFormat) {
          out.printf("%-7s %s %12d %s  %s%n", e.type(), e.mode(), e.size(), SnapshotsCommand.TIME.format(e.mtime()), name);
        } else {
          out.println(name);
        }
      }
    }
    return ExitCodes.OK;
  }
}
