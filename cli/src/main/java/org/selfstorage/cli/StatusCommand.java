package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentJson;
import org.selfstorage.agent.Finding;
import org.selfstorage.agent.StatusReport;
import org.selfstorage.agent.StoreInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Is my data safe? Stores, sources, pack health, and what to do about any problem.")
final class StatusCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, AgentJson.status(agent)); // the document GET /api/status serves
        return ExitCodes.OK;
      }
      StatusReport r = agent.status();
      StatusReport.PackHealth h = r.health();
      out.println("home: " + r.home());
      out.printf("data: %d snapshots, %d packs, %d blobs, %s in stores; new packs are cut %s%n", r.snapshots(),
          r.packs(), r.blobs(), Terminal.size(r.storedBytes()), r.layout().equals("none") ? "(cannot back up now)"
              : r.layout() + " (data+parity shards)");
      out.printf("packs: %d healthy, %d degraded, %d at risk, %d lost%n", h.healthy(), h.degraded(), h.atRisk(), h.lost());
      if (r.repair() != null) {
        var rp = r.repair();
        out.printf("repairing: %d packs looked at, %s of about %s moved%s%n", rp.packsDone(),
            Terminal.size(rp.bytesDone()), Terminal.size(rp.bytesTotal()),
            rp.eta() == null ? "" : ", done around " + rp.eta().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      }
      out.println("stores:");
      for (StoreInfo s : r.stores()) {
        out.printf("  %-16s site %-12s %-11s %6d shards %10s  %s%n", s.name(), s.site(),
            s.available() ? "ok" : "UNAVAILABLE", s.shards(), Terminal.size(s.bytes()), s.location());
      }
      out.println("sources:");
      for (StatusReport.SourceStatus s : r.sources()) {
        out.printf("  %-16s %3d snapshots, last %s  %s%n", s.name(), s.snapshots(),
            s.lastBackup() == null ? "never" : SnapshotsCommand.TIME.format(s.lastBackup()), Terminal.escape(s.path()));
      }
      if (r.findings().isEmpty()) {
        out.println("all good: every pack has all its shards");
      }
      for (Finding f : r.findings()) {
        out.println(f.severity().toUpperCase() + " " + f.code() + ": " + f.what() + " — " + f.why()
            + (f.fix() == null ? "" : ". Next: " + f.fix()));
      }
    }
    return ExitCodes.OK;
  }
}
