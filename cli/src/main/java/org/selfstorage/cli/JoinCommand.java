package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.PartnerInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "join", mixinStandardHelpOptions = true,
    description = {"Pair with the agent that made an invitation code (selfstorage invite on its side).",
        "The code pins that agent's host key: nothing is sent to an agent with another key.",
        "Both agents then record the same agreement, each keeping the other's shards up to its quota."})
final class JoinCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "CODE", description = "The invitation code (ssi1-...).")
  String code;

  @Option(names = "--quota", required = true, paramLabel = "SIZE", converter = Sizes.Bytes.class,
      description = "How much of the inviter's shards this agent keeps, e.g. 300G.")
  long quota;

  @Option(names = "--site", description = "The inviter's site (default: its name); see: selfstorage partners set-site.")
  String site;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      PartnerInfo p = agent.mesh().join(code, quota, site);
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, p);
        return ExitCodes.OK;
      }
      out.println("Paired with " + p.name() + " (" + p.fingerprint() + ", site " + p.site() + ").");
      out.println("  it keeps up to " + Terminal.size(p.hostsForUs()) + " of ours; we keep up to "
          + Terminal.size(p.hostsForThem()) + " of its shards");
      out.println("Next: selfstorage partners");
    }
    return ExitCodes.OK;
  }
}
