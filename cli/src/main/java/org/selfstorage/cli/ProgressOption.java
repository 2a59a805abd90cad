package org.selfstorage.cli;

import org.selfstorage.agent.Progress;
import picocli.CommandLine.Option;

/** {@code -q}: no progress line. A progress line is drawn only on a terminal, never with --json. */
final class ProgressOption {
  @Option(names = {"-q", "--quiet"}, description = "No progress line.")
  boolean quiet;

  Progress.Listener listener(JsonOption json) {
    return Terminal.progress(quiet || json.enabled);
  }

  void end(JsonOption json) {
    Terminal.endProgress(quiet || json.enabled);
  }
}
