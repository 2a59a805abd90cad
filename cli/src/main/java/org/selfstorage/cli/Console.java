package org.selfstorage.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where one invocation's output goes and what it may assume of the person's terminal. A command
 * the agent runs for a client ({@link AgentCommand}) gets the client's streams, terminal and
 * working directory, so it behaves exactly as if it had run in the client's process.
 *
 * @param interactive stderr is a terminal: progress lines may be drawn
 * @param workingDir relative paths on the command line are resolved against it
 */
record Console(PrintStream out, PrintStream err, boolean interactive, Path workingDir) {
  /**
   * Says that stdout did not take all of the output (a PrintStream keeps write errors to itself,
   * so callers ask {@code out().checkError()}): a listing to a full disk must not end "ok".
   */
  void tellOutputFailed() {
    err.println("OUTPUT_FAILED: writing the output failed part-way (a full disk, or the reader of a pipe went away): "
        + "what was written is incomplete");
    err.println("Next: check the space where the output goes, then run the command again");
  }

  static Console system() {
    return new Console(System.out, System.err, System.console() != null, Path.of("").toAbsolutePath());
  }
}
