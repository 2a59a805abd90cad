package org.selfstorage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.selfstorage.agent.Home;

/**
 * The command's side of the control socket: when the agent of the home runs, the whole command
 * line is handed to it and runs there (in a warm process, beside the partner connections it keeps);
 * otherwise the command runs here. See docs/design.md, "Commands and the running agent".
 */
final class ControlClient {
  /** Commands that always run in the calling process. */
  private static final Set<String> LOCAL = Set.of("init", "agent", "demo", "help", "recover", "doctor", "completion");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlClient() {}

  /** The exit code of the command run by the agent, or empty when it must run here. */
  static OptionalInt forward(String[] args, Console console) {
    if (System.getenv("SELFSTORAGE_NO_AGENT") != null) {
      return OptionalInt.empty();
    }
    Path explicitHome = null;
    boolean homeGiven = false;
    String command = null;
    for (int i = 0; i < args.length && command == null; i++) {
      String a = args[i];
      if (a.equals("--home") && i + 1 < args.length) {
        explicitHome = console.workingDir().resolve(args[++i]);
        homeGiven = true;
      } else if (a.startsWith("--home=")) {
        explicitHome = console.workingDir().resolve(a.substring(7));
        homeGiven = true;
      } else if (a.startsWith("-")) {
        return OptionalInt.empty(); // --help, --version, or a mistake picocli explains best
      } else {
        command = a;
      }
    }
    if (command == null || LOCAL.contains(command)) {
      return OptionalInt.empty();
    }
    Home home = Home.resolve(explicitHome);
    Path socket = ControlProtocol.socketOf(home);
    if (!Files.exists(socket)) {
      return OptionalInt.empty();
    }
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return OptionalInt.empty(); // a socket left by an agent that is gone
    }
    List<String> argv = new ArrayList<>();
    if (!homeGiven) {
      argv.add("--home");
      argv.add(home.dir().toString());
    }
    argv.addAll(List.of(args));
    try (ch) {
      ObjectNode request = JSON.createObjectNode();
      argv.forEach(request.putArray("argv")::add);
      request.put("cwd", console.workingDir().toString());
      request.put("interactive", console.interactive());
      byte[] body = JSON.writeValueAsBytes(request);
      ControlProtocol.write(ch, ControlProtocol.REQUEST, body, 0, body.length);
      for (ControlProtocol.Frame f; (f = ControlProtocol.read(ch)) != null; ) {
        switch (f.type()) {
          case ControlProtocol.STDOUT -> {
            console.out().write(f.data());
            console.out().flush();
            if (console.out().checkError()) {
              console.tellOutputFailed(); // and closing the socket stops the command in the agent
              return OptionalInt.of(ExitCodes.FAILURE);
            }
          }
          case ControlProtocol.STDERR -> {
            console.err().write(f.data());
            console.err().flush();
          }
          case ControlProtocol.EXIT -> {
            return OptionalInt.of(ByteBuffer.wrap(f.data()).getInt());
          }
          default -> throw new IOException("unknown control frame " + f.type());
        }
      }
      throw new IOException("the agent closed the connection before the command ended");
    } catch (IOException e) {
      console.err().println("AGENT_LOST: the running agent of " + home.dir() + " stopped answering during the command ("
          + e.getMessage() + "); what it finished is kept");
      console.err().println("Next: selfstorage --home " + home.dir() + " status");
      return OptionalInt.of(ExitCodes.FAILURE);
    }
  }
}
