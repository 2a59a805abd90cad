package org.selfstorage.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.RepositoryStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"How much the snapshots hold and what they take: what deduplication, compression and redundancy",
        "each do to the bytes. From the catalog alone: no store or partner is read."})
final class StatsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    RepositoryStats s;
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      s = agent.stats();
    }
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, s);
      return ExitCodes.OK;
    }
    if (s.snapshots() == 0) {
      out.println("no snapshots yet. Next: selfstorage backup SOURCE");
      return ExitCodes.OK;
    }
    long unique = s.chunkBytes() + s.treeBytes();
    out.printf("snapshots:       %d (sources with snapshots: %d)%n", s.snapshots(), s.sources());
    out.printf("latest of each:  %d files, %s%n", s.latestFiles(), Terminal.size(s.latestBytes()));
    out.printf("all snapshots:   %d files, %s (each file counted in every snapshot that holds it)%n", s.allFiles(),
        Terminal.size(s.allBytes()));
    out.printf("unique data:     %s in %d chunks and %d directory trees: what deduplication keeps%n",
        Terminal.size(unique), s.chunks(), s.trees());
    out.printf("stored:          %s compressed and encrypted, in %d packs%s%n", Terminal.size(s.storedBytes()),
        s.packs(), unique > 0 ? String.format(Locale.ROOT, " (compression saves %.0f%%)",
            Math.max(0, 100.0 * (unique - s.storedBytes()) / unique)) : "");
    out.printf("on stores:       %s of shards, with redundancy (%s the packs)%n", Terminal.size(s.shardBytes()),
        s.packBytes() > 0 ? String.format(Locale.ROOT, "%.2fx", (double) s.shardBytes() / s.packBytes()) : "-");
    if (s.packBytes() > 0) {
      out.printf("deduplication and compression together: %s of files in %s of packs (%s)%n",
          Terminal.size(s.allBytes()), Terminal.size(s.packBytes()),
          String.format(Locale.ROOT, "%.1fx", (double) s.allBytes() / s.packBytes()));
    }
    return ExitCodes.OK;
  }
}
