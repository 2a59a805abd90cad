package org.selfstorage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "selfstorage",
    mixinStandardHelpOptions = true,
    version = "selfstorage 0.1.0",
    description = "Encrypted, deduplicated, erasure-coded backups shared between trusted self-hosters.")
final class SelfstorageCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static CommandLine newCommandLine() {
    return new CommandLine(new SelfstorageCommand());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
