package org.selfstorage.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.InvitationInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "invite", mixinStandardHelpOptions = true,
    description = {"Make a one-time invitation code for a friend's agent to pair with this one.",
        "Whoever joins with it may keep up to --quota of its shards here; it expires after --expires.",
        "Give the code over a channel you trust: it carries this agent's host key and a secret."})
final class InviteCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--quota", required = true, paramLabel = "SIZE", converter = Sizes.Bytes.class,
      description = "How much of the partner's shards this agent keeps, e.g. 500G.")
  long quota;

  @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h", converter = Sizes.Period.class,
      description = "How long the code stays valid (default: ${DEFAULT-VALUE}; at most 30d).")
  Duration expires;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      InvitationInfo i = agent.mesh().invite(quota, expires);
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, i);
        return ExitCodes.OK;
      }
      out.println("Invitation from " + i.inviter() + " (reachable at " + String.join(", ", i.addresses()) + "),");
      out.println("offering " + Terminal.size(i.quotaBytes()) + ", valid until " + i.expires() + ", usable once:");
      out.println();
      out.println("    " + i.code());
      out.println();
      out.println("On the other agent: selfstorage join CODE --quota SIZE");
    }
    return ExitCodes.OK;
  }
}
