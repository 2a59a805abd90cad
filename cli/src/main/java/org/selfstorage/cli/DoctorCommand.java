package org.selfstorage.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Doctor;
import org.selfstorage.agent.Finding;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Examine this home from the ground up, even when other commands cannot open it.",
        "Key, catalog, agent, stores, partners, packs: each problem comes with why it matters and the command",
        "that fixes it. Exit code 1 when an error is found."})
final class DoctorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
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
}
