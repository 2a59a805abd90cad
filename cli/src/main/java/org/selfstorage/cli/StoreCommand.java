package org.selfstorage.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.StoreInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Manage stores: directories (external disks, NAS mounts) that hold shards. Each belongs to a site.",
    subcommands = {StoreCommand.Add.class, StoreCommand.ListStores.class})
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
}
