package org.selfstorage.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Recovery;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {"Bring a home back on a new machine with the recovery code and one partner (or store).",
        "The same keys and identity are derived from the code; the newest catalog copy is fetched from that",
        "partner and opened with them; its partners and stores are contacted. Then: snapshots, restore, agent.",
        "In a home that still has its key but lost its catalog, the code may be left out."})
final class RecoverCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--recovery-code", paramLabel = "CODE", description = "The code init printed (30 characters).")
  String code;

  @Option(names = "--partner", paramLabel = "HOST:PORT", description = "One of your partners' agents.")
  String partner;

  @Option(names = "--fingerprint", paramLabel = "SHA256:...",
      description = "That partner's host key, from your recovery sheet (without it, the key it shows must be one "
          + "of the partners in the recovered catalog).")
  String fingerprint;

  @Option(names = "--store", paramLabel = "DIR", description = "Recover from a local store (a disk) instead.")
  Path store;

  @Override
  public Integer call() {
    var home = SelfstorageCommand.of(spec).resolvedHome();
    Recovery.Result r = Recovery.recover(home, Clock.systemDefaultZone(), code, partner, fingerprint, store);
    var out = SelfstorageCommand.of(spec).console().out();
    out.println("Recovered " + (r.name().isEmpty() ? "the home" : r.name()) + " into " + r.home() + " from the "
        + r.from() + " (catalog copy " + r.generation() + "): " + r.snapshots() + " snapshots, " + r.packs() + " packs.");
    for (String p : r.partners()) {
      String why = r.unreachable().get(p);
      out.println("  partner " + p + ": " + (why == null ? "reachable" : "unreachable (" + why + ")"));
    }
    out.println("Next: selfstorage --home " + r.home() + " snapshots; then restore, and start the agent again");
    return ExitCodes.OK;
  }
}
