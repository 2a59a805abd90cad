package org.selfstorage.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a completion script for bash (zsh too, with bashcompinit): commands, options and their values.",
        "Install it with: selfstorage completion > /etc/bash_completion.d/selfstorage",
        "or for this shell only: source <(selfstorage completion)"})
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // picocli writes it from the command tree, so it never falls behind the commands
    SelfstorageCommand.of(spec).console().out().print(AutoComplete.bash("selfstorage", spec.root().commandLine()));
    return ExitCodes.OK;
  }
}
