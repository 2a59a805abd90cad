package org.selfstorage.cli;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.PartnerRemoval;
import org.selfstorage.agent.QuotaChange;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "partners", mixinStandardHelpOptions = true,
    description = {"List partners: name, site, status, last seen, and the quota and usage in both directions.",
        "Each partner is asked hello first (all at once), so the status is current; --offline skips that."},
    subcommands = {PartnersCommand.SetSite.class, PartnersCommand.SetQuota.class, PartnersCommand.Remove.class})
final class PartnersCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--offline", description = "Show what is recorded without contacting the partners.")
  boolean offline;

  @CommandLine.Mixin JsonOption json;

  @Override
  public Integer call() {
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      List<PartnerInfo> partners = agent.mesh().partners(!offline);
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, partners);
        return ExitCodes.OK;
      }
      if (partners.isEmpty()) {
        out.println("no partners yet. Next: selfstorage invite --quota 100G   (or: selfstorage join CODE --quota 100G)");
        return ExitCodes.OK;
      }
      out.printf("%-14s %-12s %-11s %-9s %-21s %-21s%n", "NAME", "SITE", "STATUS", "SEEN", "WE KEEP FOR IT",
          "IT KEEPS FOR US");
      for (PartnerInfo p : partners) {
        out.printf("%-14s %-12s %-11s %-9s %-21s %-21s%n", p.name(), p.site(), p.status(), ago(p.lastSeen()),
            Terminal.size(p.usedByThem()) + " of " + Terminal.size(p.hostsForThem()),
            // what the partner measured at the last hello: the same number it shows on its side
            Terminal.size(p.reportedByThem() >= 0 ? p.reportedByThem() : p.storedWithThem()) + " of "
                + Terminal.size(p.hostsForUs()));
        if (p.problem() != null) {
          out.println("  problem: " + Terminal.escape(p.problem()));
          out.println("  Next: check that " + p.name() + "'s agent runs and is reachable at "
              + String.join(", ", p.addresses()) + "; if it is gone for good: selfstorage partners remove " + p.name());
        }
        if (p.notWritable() != null) {
          out.println("  its disk takes no new shards: " + Terminal.escape(p.notWritable()));
          out.println("  New shards go to other sites; what it keeps for us can still be read. Next: ask " + p.name()
              + " to repair or remount that disk read-write");
        }
        if (p.maxRate() > 0) {
          out.println("  takes our shards at up to " + Terminal.size(p.maxRate()) + "/s (its hosting.max-rate); "
              + "uploads to it keep to that");
        }
        if (p.trust() >= 0 && p.auditFailures() > 0) {
          out.println("  trust " + trustPercent(p) + ": " + p.auditFailures() + " of " + p.auditChecks()
              + " audit checks of our shards failed in the last " + PartnerInfo.TRUST_WINDOW.toDays() + " days"
              + " (damaged shards found were rebuilt). Next: selfstorage audit; if it goes on failing: selfstorage "
              + "partners remove " + p.name());
        }
      }
    }
    return ExitCodes.OK;
  }

  /** Rounded down, so that a partner that failed anything never shows 100%. */
  private static String trustPercent(PartnerInfo p) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", Math.floor(p.trust() * 1000) / 10);
  }

  private static String ago(Instant t) {
    if (t == null) {
      return "never";
    }
    long s = Math.max(0, Instant.now().getEpochSecond() - t.getEpochSecond());
    return s < 120 ? s + "s ago" : s < 7200 ? (s / 60) + "m ago" : s < 172800 ? (s / 3600) + "h ago" : (s / 86400) + "d ago";
  }

  @Command(name = "set-site", mixinStandardHelpOptions = true,
      description = {"Put a partner on a site (failure domain). Never two shards of a pack go to one site,",
          "so partners in the same building or on the same provider should share a site."})
  static final class SetSite implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1", paramLabel = "SITE") String site;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        PartnerInfo p = agent.mesh().setSite(name, site);
        SelfstorageCommand.of(spec).console().out().println(p.name() + " is on site " + p.site()
            + "; new packs are placed accordingly (existing shards stay until: selfstorage repair)");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "set-quota", mixinStandardHelpOptions = true,
      description = {"Change how much of a partner's shards we keep (the quota agreed at pairing), e.g. 500G.",
          "It applies at once, to the partner's open connections too, and the partner is told.",
          "A quota below what the partner keeps here deletes nothing: its new shards are refused until it keeps less."})
  static final class SetQuota implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1", paramLabel = "SIZE", converter = Sizes.Bytes.class,
        description = "The new quota: a size like 500G, 1T or 800M.")
    long quota;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      QuotaChange c;
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        c = agent.mesh().setQuota(name, quota);
      }
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, c);
        return ExitCodes.OK;
      }
      PartnerInfo p = c.partner();
      out.println("We now keep up to " + Terminal.size(p.hostsForThem()) + " for " + p.name() + " (was "
          + Terminal.size(c.previousQuota()) + "; it keeps " + Terminal.size(Math.max(0, p.usedByThem())) + " here)"
          + (c.partnerNotified() ? "; " + p.name() + " was told."
              : "; " + p.name() + " could not be told now (unreachable) and learns it when it next connects."));
      if (c.overQuota()) {
        out.println("  " + p.name() + " keeps more than that already: nothing is deleted, but its new shards are refused "
            + "until it keeps less (its backups place them elsewhere).");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "End the agreement with a partner: its key is revoked at once (open sessions closed), our shards "
          + "on it are rebuilt on other sites, then the agreement is deleted and the partner told. If some shards "
          + "cannot be moved (too few other sites), the partner stays revoked until --force.")
  static final class Remove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--force", description = "Remove even if some shards could not be moved (those packs lose redundancy).")
    boolean force;

    @CommandLine.Mixin JsonOption json;

    @CommandLine.Mixin ProgressOption progress;

    @Override
    public Integer call() throws Exception {
      PartnerRemoval r = progress.run(json, (agent, l) -> agent.mesh().remove(name, force, l));
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, r);
        return r.removed() ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      out.println(name + "'s key is revoked; " + r.moved() + " of our shards moved to other sites.");
      r.notMoved().forEach(m -> out.println("  not moved: " + m));
      if (r.removed()) {
        out.println(name + " removed" + (r.partnerNotified() ? " and told." : "; it could not be told (unreachable)."));
        return ExitCodes.OK;
      }
      out.println("PARTNER_KEPT: " + r.notMoved().size() + " shards could not be moved, so " + name
          + " keeps them (revoked: it can no longer use this agent).");
      out.println("Next: add a store or partner on another site, then run this again; or: selfstorage partners remove "
          + name + " --force");
      return ExitCodes.FAILURE;
    }
  }
}
