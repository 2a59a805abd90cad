package org.selfstorage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.EventInfo;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"What happened in this home, oldest of those shown first: backups, partners coming and going,",
        "redundancy lost and restored, repairs, refusals. Each with the step that deals with it, when there is one.",
        "The same events go to webhooks (see: selfstorage notify) and the web UI."})
final class EventsCommand implements Callable<Integer> {
  private static final List<String> SEVERITIES = List.of("info", "warning", "error");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Show the N newest (default: 20).")
  int limit;

  @Option(names = "--severity", paramLabel = "LEVEL", defaultValue = "info",
      description = "Only events at least this severe: info, warning or error (default: info, all).")
  String severity;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    int least = SEVERITIES.indexOf(severity);
    if (least < 0) {
      throw new UsageException("SEVERITY_INVALID", "'" + severity + "' is not a severity: say info, warning or error",
          "selfstorage events --severity warning");
    }
    if (limit < 1 || limit > 10_000) {
      throw new UsageException("LIMIT_INVALID", "--limit is a number of events from 1 to 10000, not " + limit,
          "selfstorage events --limit 50");
    }
    List<EventInfo> shown = new ArrayList<>();
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      // newest first from the catalog, filtered here: ask for more pages until enough match
      long before = Long.MAX_VALUE;
      while (shown.size() < limit) {
        List<EventInfo> page = agent.eventsBefore(before, 500);
        for (EventInfo e : page) {
          if (SEVERITIES.indexOf(e.severity()) >= least && shown.size() < limit) {
            shown.add(e);
          }
        }
        if (page.size() < 500) {
          break;
        }
        before = page.get(page.size() - 1).id();
      }
    }
    java.util.Collections.reverse(shown);
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, shown);
      return ExitCodes.OK;
    }
    if (shown.isEmpty()) {
      out.println("no events" + (least > 0 ? " at " + severity + " or worse" : ""));
      return ExitCodes.OK;
    }
    for (EventInfo e : shown) {
      out.printf("%s  %-7s %-22s %s%n", SnapshotsCommand.TIME.format(e.time()), e.severity(), e.code(),
          Terminal.escape(e.message()));
      if (e.fix() != null) {
        out.println("    Next: " + Terminal.escape(e.fix()));
      }
    }
    return ExitCodes.OK;
  }
}
