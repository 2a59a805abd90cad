package org.selfstorage.cli;

import picocli.CommandLine;

/** Entry point of the {@code selfstorage} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(SelfstorageCommand.newCommandLine().execute(args));
  }
}
