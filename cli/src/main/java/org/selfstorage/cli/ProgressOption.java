package org.selfstorage.cli;

import org.selfstorage.agent.Agent;
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

  /** Long work against this command's home, one call of {@link Agent}. */
  @FunctionalInterface
  interface Work<T> {
    T run(Agent agent, Progress.Listener listener) throws Exception;
  }

  /**
   * Opens the home's agent, runs {@code work} with a progress line (unless quiet or --json), and
   * always ends the line and closes the agent, whether the work succeeds or fails.
   */
  <T> T run(JsonOption json, Work<T> work) throws Exception {
    try (Agent agent = SelfstorageCommand.of(mixee).openAgent()) {
      return work.run(agent, listener(json));
    } finally {
      end(json);
    }
  }

  void end(JsonOption json) {
    Terminal.endProgress(quiet || json.enabled, SelfstorageCommand.of(mixee).console());
  }
}
