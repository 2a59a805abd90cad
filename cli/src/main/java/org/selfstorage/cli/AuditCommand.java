package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.AuditResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Audit the shards stores and partners keep for us, now (the running agent does this every",
        "audit.every): partners answer random-offset challenges over a sample of their shards and report what",
        "their own scrub found rotten; then suspects, and a share of all shards, are downloaded and verified",
        "whole, so that every shard is read once per audit.verify-every. Damaged or missing shards are rebuilt",
        "at once. For a full read of everything now: selfstorage check --read-data"})
final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    AuditResult r = progress.run(json, (agent, l) -> agent.audit(l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
    } else {
      for (AuditResult.StoreAudit s : r.stores()) {
        if (s.problem() != null) {
          out.printf("%-16s not audited: %s%n", s.store(), s.problem());
        } else {
          out.printf("%-16s %d challenges, %d wrong; %d shards read whole (%s); %d reported rotten by the host%n",
              s.store(), s.challenged(), s.wrongAnswers(), s.read(), Terminal.size(s.bytesRead()), s.rotReported());
        }
      }
      r.damaged().forEach(d -> out.println("DAMAGED " + d));
      if (r.repair() != null) {
        r.repair().rebuilt().forEach(d -> out.println("  rebuilt " + d));
        r.repair().failed().forEach(d -> out.println("  NOT REBUILT " + d));
      }
      out.printf("%d shards not read whole within audit.verify-every yet%n", r.notReadInPeriod());
      if (r.damaged().isEmpty()) {
        out.println(r.clean() ? "audit clean" : "audit: wrong answers, but every suspect shard read back intact");
      } else if (r.repair() != null && !r.repair().failed().isEmpty()) {
        out.println("Next: selfstorage invite   (a partner with room, on a new site), then: selfstorage repair");
      }
    }
    boolean unrepaired = r.repair() != null && !r.repair().failed().isEmpty();
    return unrepaired ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
