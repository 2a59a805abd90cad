package org.selfstorage.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.StoreInfo;
import org.selfstorage.agent.StoreRemoval;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Manage stores: directories (external disks, NAS mounts) that hold shards. Each belongs to a site.",
    subcommands = {StoreCommand.Add.class, StoreCommand.ListStores.class, StoreCommand.Remove.class})
final class StoreCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a local directory as a store.",
          "Stores on different sites fail independently; never two shards of a pack go to one site."})
  static final class Add implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Directory for shards (created if missing).")
    Path dir;

    @Option(names = "--site", required = true, description = "Failure domain of this store, e.g. usb1, nas, office.")
    String site;

    @Option(names = "--name", description = "Name of the store (default: the site).")
    String name;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        StoreInfo s = agent.addStore(dir, name, site);
        spec.commandLine().getOut().println("Added store " + s.name() + " at " + s.location() + " (site " + s.site() + ")");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the stores and what they hold.")
  static final class ListStores implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        List<StoreInfo> stores = agent.stores();
        var out = SelfstorageCommand.of(spec).console().out();
        if (json.enabled) {
          Json.print(out, stores);
          return ExitCodes.OK;
        }
        out.printf("%-16s %-12s %-10s %8s %10s %10s  %s%n", "NAME", "SITE", "STATE", "SHARDS", "SIZE", "FREE", "LOCATION");
        for (StoreInfo s : stores) {
          out.printf("%-16s %-12s %-10s %8d %10s %10s  %s%n", s.name(), s.site(), s.available() ? "ok" : "UNAVAILABLE",
              s.shards(), Terminal.size(s.bytes()), s.freeBytes() < 0 ? "-" : Terminal.size(s.freeBytes()), s.location());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Retire a store (a disk to give away, or one that died): its shards are rebuilt on stores and "
          + "partners of other sites from the other shards, then the store is forgotten. Its directory is not read "
          + "and its files are left as they are. If some shards cannot be moved (too few other sites with room), "
          + "the store stays in use until --force.")
  static final class Remove implements Callable<Integer> {
    /** At most this many unmoved shards are named on a terminal; --json lists all. */
    private static final int NAMED = 5;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The store, as store list names it.")
    String name;

    @Option(names = "--force", description = "Remove even if some shards could not be moved (those packs keep less "
        + "redundancy until a store is added and repair runs).")
    boolean force;

    @CommandLine.Mixin JsonOption json;

    @CommandLine.Mixin ProgressOption progress;

    @Override
    public Integer call() throws Exception {
      StoreRemoval r = progress.run(json, (agent, l) -> agent.removeStore(name, force, l));
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, r);
        return r.removed() ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      out.println(r.moved() + " shards moved off " + name + " to other sites.");
      r.notMoved().stream().limit(NAMED).forEach(m -> out.println("  not moved: " + m));
      if (r.notMoved().size() > NAMED) {
        out.println("  and " + (r.notMoved().size() - NAMED) + " more (--json lists them)");
      }
      if (r.removed()) {
        out.println("Store " + name + " removed. Its directory " + r.location() + " is left as it was: delete it "
            + "when you no longer need it.");
        return ExitCodes.OK;
      }
      out.println("STORE_KEPT: " + r.notMoved().size() + " shards could not be moved, so " + name + " keeps them "
          + "and stays in use.");
      out.println("Next: selfstorage store add DIR --site SITE (a site that holds none of them, or pair with a partner), "
          + "then run this again; or: selfstorage store remove " + name + " --force   (those packs keep less "
          + "redundancy)");
      return ExitCodes.FAILURE;
    }
  }
}
