package org.selfstorage.cli;

import java.util.OptionalInt;

/** Entry point of the {@code selfstorage} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Console console = Console.system();
    OptionalInt byAgent = ControlClient.forward(args, console);
    System.exit(byAgent.isPresent() ? byAgent.getAsInt()
        : SelfstorageCommand.newCommandLine(console, null).execute(args));
  }
}
