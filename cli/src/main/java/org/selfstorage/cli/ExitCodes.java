package org.selfstorage.cli;

import org.selfstorage.agent.AgentException;
import picocli.CommandLine;

/**
 * The one mapping from failures to exit codes and messages: 0 ok, 1 failure, 2 usage error,
 * 3 snapshot incomplete. A failure prints its code, what happened and the next command; a stack
 * trace only with SELFSTORAGE_DEBUG=1.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int INCOMPLETE = 3;
  static final int INTERRUPTED = 130;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    if (System.getenv("SELFSTORAGE_DEBUG") != null) {
      ex.printStackTrace();
    }
    var err = cl.getErr();
    AgentException e = AgentException.explain(ex); // null for anything unforeseen: a bug
    if (e != null) {
      err.println(e.code() + ": " + e.getMessage());
      if (e.fix() != null) {
        err.println("Next: " + e.fix());
      }
      err.flush();
      return e.isUsageError() ? USAGE : FAILURE;
    }
    if (ex instanceof InterruptedException) {
      err.println("INTERRUPTED: stopped before the end; everything already stored is kept");
      err.flush();
      return INTERRUPTED;
    }
    err.println("INTERNAL_ERROR: " + ex + " (this is a bug; run again with SELFSTORAGE_DEBUG=1 for details)");
    err.flush();
    return FAILURE;
  }
}
