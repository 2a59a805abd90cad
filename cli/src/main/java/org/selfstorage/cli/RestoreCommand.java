package org.selfstorage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.RestoreResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a snapshot, or parts of it, into a directory.",
        "Files, directories, symlinks, hard links, holes of sparse files, special files, modes and mtimes come back.",
        "Damaged or missing shards are worked around while enough good ones remain."})
final class RestoreCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SNAPSHOT", description = "'latest', a snapshot id, or a unique prefix of one.")
  String snapshot;

  @Option(names = "--target", required = true, paramLabel = "DIR", description = "Where to restore (created if missing).")
  Path target;

  @Option(names = "--include", paramLabel = "PATH", description = "Only this path (relative to the source), as `ls` shows it; repeatable.")
  List<String> includes = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "PATTERN", description = "Leave out what matches PATTERN, as for source "
      + "add --exclude (a name at any depth, or a path from the snapshot's top with a slash; ! keeps again); "
      + "repeatable. A directory left out is left out with all it holds.")
  List<String> excludes = new ArrayList<>();

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    RestoreResult r = progress.run(json, (agent, l) -> agent.restore(snapshot, target, includes, excludes, l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
    } else {
      for (String w : r.warnings()) {
        SelfstorageCommand.of(spec).console().err().println("warning: " + Terminal.escape(w));
      }
      out.printf("restored snapshot %s to %s: %d files, %d directories, %s from %d packs in %s%n",
          r.snapshotId().substring(0, 8), Terminal.escape(r.target()), r.files(), r.dirs(), Terminal.size(r.bytes()),
          r.packsRead(), Terminal.duration(r.elapsed()));
      if (!r.problems().isEmpty()) {
        out.println("FAILED: " + r.problems().size() + " entries could not be restored:");
        r.problems().stream().limit(50).forEach(p -> out.println("  " + Terminal.escape(p)));
        out.println("Next: selfstorage check --read-data");
      }
    }
    return r.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
