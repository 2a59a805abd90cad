package org.selfstorage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.SnapshotInfo;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true,
    description = {"Add or remove tags of a snapshot.",
        "A policy with --keep-tag keeps every snapshot carrying that tag, whatever its age:",
        "  selfstorage tag latest --add before-upgrade",
        "  selfstorage policy set docs --keep-daily 7 --keep-tag before-upgrade"})
final class TagCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SNAPSHOT", description = "latest, an id or a unique prefix of one.")
  String snapshot;

  @Option(names = "--add", paramLabel = "TAG", description = "Tag to add (repeatable).")
  List<String> add = new ArrayList<>();

  @Option(names = "--remove", paramLabel = "TAG", description = "Tag to remove (repeatable).")
  List<String> remove = new ArrayList<>();

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    if (add.isEmpty() && remove.isEmpty()) {
      throw new UsageException("TAG_NOTHING", "say which tags to add or remove", "selfstorage tag " + snapshot
          + " --add before-upgrade");
    }
    SnapshotInfo s;
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      s = agent.tag(snapshot, add, remove);
    }
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, s);
    } else {
      out.println("snapshot " + s.shortId() + " of " + s.source() + ": tags "
          + (s.tags().isEmpty() ? "none" : String.join(", ", s.tags())));
    }
    return ExitCodes.OK;
  }
}
