package org.selfstorage.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.ConfigKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Show and change settings.",
    subcommands = {ConfigCommand.Show.class, ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show every setting with its value and meaning.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        Map<String, String> config = agent.config();
        if (json.enabled) {
          Json.print(SelfstorageCommand.of(spec).console().out(), config);
          return ExitCodes.OK;
        }
        for (ConfigKey k : ConfigKey.values()) {
          SelfstorageCommand.of(spec).console().out().printf("%-22s %-6s %s (%s; default %s)%n", k.key(), config.get(k.key()), k.description(), k.rule(),
              k.defaultValue());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print one setting.")
  static final class Get implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        SelfstorageCommand.of(spec).console().out().println(agent.configGet(key));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Change one setting (validated).")
  static final class Set implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        agent.configSet(key, value);
        SelfstorageCommand.of(spec).console().out().println(key + " = " + agent.configGet(key));
      }
      return ExitCodes.OK;
    }
  }
}
