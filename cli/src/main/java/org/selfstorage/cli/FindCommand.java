package org.selfstorage.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.FoundEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "find", mixinStandardHelpOptions = true,
    description = {"Find files and directories by name in every snapshot, newest first.",
        "PATTERN is a glob on the name: '*.pdf', 'tax-202?.*', 'notes.txt' (quote it for the shell).",
        "Then: selfstorage restore SNAPSHOT --target DIR --include PATH"})
final class FindCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATTERN") String pattern;

  @Option(names = "--source", paramLabel = "NAME", description = "Only snapshots of this source.") String source;

  @Option(names = {"-i", "--ignore-case"}, description = "Upper and lower case match each other.") boolean ignoreCase;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    List<FoundEntry> found;
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      found = agent.find(pattern, source, ignoreCase);
    }
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, found);
      return ExitCodes.OK;
    }
    String snapshot = null;
    for (FoundEntry e : found) {
      if (!e.snapshot().equals(snapshot)) {
        snapshot = e.snapshot();
        out.println("snapshot " + e.snapshot() + " of " + Terminal.escape(e.source()) + " ("
            + SnapshotsCommand.TIME.format(e.snapshotTime()) + "):");
      }
      out.printf("  %-7s %12d %s  %s%n", e.type(), e.size(), SnapshotsCommand.TIME.format(e.mtime()),
          Terminal.escape(e.path()) + (e.type().equals("dir") ? "/" : ""));
    }
    out.println(found.isEmpty() ? "nothing matches " + Terminal.escape(pattern) : found.size() + " matches");
    return ExitCodes.OK;
  }
}
