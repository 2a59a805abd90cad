package org.selfstorage.cli;

import org.selfstorage.agent.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code -q}: no progress line. A progress line is drawn only on a terminal, never with --json. */
final class ProgressOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

  @Option(names = {"-q", "--quiet"}, description = "No progress line.")
  boolean quiet;

  Progress.Listener listener(JsonOption json) {
    return Terminal.progress(quiet || json.enabled, SelfstorageCommand.of(mixee).console());
  }

  void end(JsonOption json) {
    Terminal.endProgress(quiet || json.enabled, SelfstorageCommand.of(mixee).console());
  }
}
