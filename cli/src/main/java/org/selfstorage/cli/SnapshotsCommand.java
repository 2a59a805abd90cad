package org.selfstorage.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.SnapshotInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "List snapshots, oldest first.")
final class SnapshotsCommand implements Callable<Integer> {
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", description = "Only snapshots of this source.")
  String source;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only snapshots with this tag (repeatable: any of them).")
  List<String> tags = new java.util.ArrayList<>();

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      List<SnapshotInfo> list = agent.snapshots(source).stream()
          .filter(s -> tags.isEmpty() || s.tags().stream().anyMatch(tags::contains)).toList();
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, list);
        return ExitCodes.OK;
      }
      out.printf("%-8s  %-19s  %-14s %9s %10s %10s  %s%n", "ID", "TIME", "SOURCE", "FILES", "SIZE", "ADDED", "NOTE");
      for (SnapshotInfo s : list) {
        out.printf("%-8s  %-19s  %-14s %9d %10s %10s  %s%n", s.shortId(), TIME.format(s.time()), s.source(), s.files(),
            Terminal.size(s.bytes()), Terminal.size(s.addedBytes()),
            note(s));
      }
      out.println(list.size() + " snapshots");
    }
    return ExitCodes.OK;
  }

  private static String note(SnapshotInfo s) {
    List<String> parts = new java.util.ArrayList<>();
    if (!s.tags().isEmpty()) {
      parts.add("tags: " + String.join(", ", s.tags()));
    }
    if (s.incompleteFiles() > 0) {
      parts.add("incomplete: " + s.incompleteFiles() + " files");
    }
    return String.join("; ", parts);
  }
}
