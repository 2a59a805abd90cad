package org.selfstorage.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create a new home: a master key, an empty catalog.",
        "Prints the recovery code once. Write it down: with it and one store (or partner), everything can be restored."})
final class InitCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--name", description = "This agent's name, as partners see it (default: the host name).")
  String name;

  @CommandLine.Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Where the agent's SSH server listens for partners (default: 127.0.0.1:7722).")
  String listen;

  @CommandLine.Option(names = "--advertise", paramLabel = "HOST:PORT[,HOST:PORT]",
      description = "The addresses partners are given to reach this agent (default: the --listen address).")
  String advertise;

  @Override
  public Integer call() {
    var home = SelfstorageCommand.of(spec).resolvedHome();
    Agent.InitResult r = Agent.init(home, Clock.systemDefaultZone(), name, listen, advertise);
    var out = spec.commandLine().getOut();
    out.println("Created the home " + r.home());
    out.println();
    out.println("Recovery code (shown once; write it down and keep it away from this machine):");
    out.println();
    out.println("    " + r.recoveryCode());
    out.println();
    out.println("Next: selfstorage --home " + r.home() + " store add DIR --site NAME");
    out.flush();
    return ExitCodes.OK;
  }
}
