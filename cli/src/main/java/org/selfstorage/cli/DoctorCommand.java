package org.selfstorage.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.Doctor;
import org.selfstorage.agent.IfLostReport;
import org.selfstorage.agent.Finding;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Examine this home from the ground up, even when other commands cannot open it.",
        "Key, catalog, agent, stores, partners, packs: each problem comes with why it matters and the command",
        "that fixes it. Exit code 1 when an error is found.",
        "With --if-lost NAME: what would be lost if that partner (or store) vanished now."})
final class DoctorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Option(names = "--if-lost", paramLabel = "NAME",
      description = "Instead: which packs, snapshots and files would be lost if partner (or store) NAME vanished now.")
  String ifLost;

  @Override
  public Integer call() {
    if (ifLost != null) {
      return ifLost();
    }
    List<Finding> findings = Doctor.examine(SelfstorageCommand.of(spec).resolvedHome(), Clock.systemDefaultZone());
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, findings);
    } else if (findings.isEmpty()) {
      out.println("all good: the key, the catalog, the stores and the partners are fine");
    } else {
      for (Finding f : findings) {
        out.println(f.severity().toUpperCase() + " " + f.code() + ": " + f.what());
        out.println("  why it matters: " + f.why());
        if (f.fix() != null) {
          out.println("  Next: " + f.fix());
        }
      }
    }
    return findings.stream().anyMatch(f -> f.severity().equals("error")) ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private int ifLost() {
    IfLostReport r;
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      r = agent.ifLost(ifLost);
    }
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
      return ExitCodes.OK;
    }
    var h = r.packs();
    out.println("if " + r.partner() + " vanished now (" + r.shardsOnIt() + " of our shards are on it), with the "
        + "other stores and partners as they are:");
    out.printf("  packs: %d healthy, %d degraded, %d at risk, %d lost%n", h.healthy(), h.degraded(), h.atRisk(),
        h.lost());
    if (!r.losesData()) {
      out.println(h.atRisk() > 0 ? "nothing would be lost, but " + h.atRisk() + " packs would survive no further loss. "
          + "Next: add a store or partner on another site (selfstorage invite --quota 100G), then: selfstorage repair"
          : "nothing would be lost");
      return ExitCodes.OK;
    }
    out.println("these snapshots would have files that can no longer be restored:");
    for (IfLostReport.SnapshotLoss s : r.snapshots()) {
      out.printf("  %s  %-16s %s  %d files, %s%n", s.snapshot().substring(0, 8), s.source(),
          SnapshotsCommand.TIME.format(s.time()), s.files(), Terminal.size(s.bytes()));
    }
    out.println("Next: selfstorage repair (puts missing shards back on free sites), and add sites so that no one "
        + "partner holds what others lack: selfstorage invite --quota 100G");
    return ExitCodes.OK;
  }
}
