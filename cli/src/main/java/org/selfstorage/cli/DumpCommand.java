package org.selfstorage.cli;

import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.EntryInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dump", mixinStandardHelpOptions = true,
    description = {"Write one file of a snapshot to standard output, e.g. to look at it or to pipe it elsewhere:",
        "  selfstorage dump latest docs/notes.txt | less",
        "Every chunk is authenticated before it is written. For directories: restore --include PATH."})
final class DumpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id, or a unique prefix of one.")
  String snapshot;

  @Parameters(index = "1", paramLabel = "PATH", description = "The file, as ls shows it.")
  String path;

  @Override
  public Integer call() throws Exception {
    Console console = SelfstorageCommand.of(spec).console();
    // a PrintStream keeps write errors to itself: ask after each chunk, so that a full disk or a
    // reader gone away stops the dump and fails it instead of ending "ok" with half a file
    java.io.OutputStream checked = new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        console.out().write(b, off, len);
        flush();
      }

      @Override
      public void flush() throws java.io.IOException {
        if (console.out().checkError()) { // flushes, then says whether any write failed
          throw new java.io.IOException("writing the output failed");
        }
      }
    };
    try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
      EntryInfo e;
      try {
        e = agent.dump(snapshot, path, checked);
      } catch (java.io.IOException failed) {
        console.tellOutputFailed();
        return ExitCodes.FAILURE;
      }
      if (e.incomplete() != null) {
        console.err().println("warning: " + Terminal.escape(e.path()) + " was not stored consistently at backup time ("
            + Terminal.escape(e.incomplete()) + "): what was written may mix two versions of it");
        return ExitCodes.INCOMPLETE;
      }
    }
    return ExitCodes.OK;
  }
}
