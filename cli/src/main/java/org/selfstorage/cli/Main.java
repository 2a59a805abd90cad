package org.selfstorage.cli;

import java.util.OptionalInt;

/** Entry point of the {@code selfstorage} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Console console = Console.system();
    OptionalInt byAgent = ControlClient.forward(args, console);
    if (byAgent.isPresent()) {
      System.exit(byAgent.getAsInt());
    }
    int code = SelfstorageCommand.newCommandLine(console, null).execute(args);
    console.out().flush();
    if (code == ExitCodes.OK && console.out().checkError()) {
      console.tellOutputFailed();
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }
}
