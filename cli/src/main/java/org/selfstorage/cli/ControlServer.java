package org.selfstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.selfstorage.agent.RunningAgent;

/**
 * The running agent's side of the control socket: runs the commands of its home's CLI in this
 * (warm) process, with the client's output streams, terminal and working directory. Only the user
 * that runs the agent may connect: the socket is in a 0700 directory, and the peer's credentials
 * are checked on every connection.
 */
final class ControlServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerSocketChannel server;
  private final Path socket;
  private final RunningAgent running;
  private final Consumer<String> log;
  private final Thread acceptor;

  private ControlServer(ServerSocketChannel server, Path socket, RunningAgent running, Consumer<String> log) {
    this.server = server;
    this.socket = socket;
    this.running = running;
    this.log = log;
    this.acceptor = new Thread(this::acceptLoop, "selfstorage-control");
    this.acceptor.setDaemon(true);
  }

  static ControlServer start(Path socket, RunningAgent running, Consumer<String> log) throws IOException {
    Files.deleteIfExists(socket); // a stale socket of an agent that died; the run lock says we are the only one
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ch.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    ControlServer s = new ControlServer(ch, socket, running, log);
    s.acceptor.start();
    return s;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread t = new Thread(() -> serve(client), "selfstorage-command");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (server.isOpen()) {
          log.accept("control socket: " + e.getMessage());
        }
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!peer.user().getName().equals(System.getProperty("user.name"))) {
        log.accept("control socket: refused a connection from user " + peer.user().getName());
        return;
      }
      ControlProtocol.Frame request = ControlProtocol.read(ch);
      if (request == null || request.type() != ControlProtocol.REQUEST) {
        return;
      }
      JsonNode r = JSON.readTree(request.data());
      List<String> argv = new ArrayList<>();
      r.path("argv").forEach(a -> argv.add(a.asText()));
      Console console = new Console(stream(ch, ControlProtocol.STDOUT), stream(ch, ControlProtocol.STDERR),
          r.path("interactive").asBoolean(false), Path.of(r.path("cwd").asText("/")));
      Thread worker = Thread.currentThread();
      Thread watcher = new Thread(() -> interruptOnHangUp(ch, worker), "selfstorage-command-watch");
      watcher.setDaemon(true);
      watcher.start();
      long start = System.nanoTime();
      int code = SelfstorageCommand.newCommandLine(console, running).execute(argv.toArray(String[]::new));
      console.out().flush();
      console.err().flush();
      byte[] exit = ByteBuffer.allocate(4).putInt(code).array();
      synchronized (ch) {
        ControlProtocol.write(ch, ControlProtocol.EXIT, exit, 0, 4);
      }
      Thread.interrupted(); // a hang-up after the end must not leak into the next use of this thread
      running.workDone(java.time.Duration.ofNanos(System.nanoTime() - start)); // after the caller has its answer
    } catch (IOException e) {
      log.accept(callerWentAway(e)
          ? "control socket: a command's caller went away before it ended (its output could not be written)"
          : "control socket: a command connection failed: " + e);
    } catch (RuntimeException e) {
      log.accept("control socket: a command connection failed: " + e);
    }
  }

  /**
   * Whether a write failed because the caller closed its end: the channel closed by the hang-up
   * watcher, or, when the caller closed first, the kernel's broken pipe or reset (the JDK has no
   * exception class of its own for those).
   */
  static boolean callerWentAway(IOException e) {
    if (e instanceof java.nio.channels.ClosedChannelException) {
      return true;
    }
    String m = e.getMessage();
    return m != null && (m.contains("Broken pipe") || m.contains("Connection reset"));
  }

  /** The client went away (Ctrl-C): interrupt the command, which stops as an interrupted one does. */
  private static void interruptOnHangUp(SocketChannel ch, Thread worker) {
    try {
      ByteBuffer b = ByteBuffer.allocate(64);
      while (ch.read(b) >= 0) {
        b.clear();
      }
    } catch (IOException e) {
      // closed: the same as a hang-up, or the end of the command
    }
    if (ch.isOpen()) {
      worker.interrupt();
    }
  }

  private static PrintStream stream(SocketChannel ch, byte type) {
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (ch) {
          for (int done = 0; done < len; ) {
            int n = Math.min(len - done, ControlProtocol.MAX_FRAME);
            ControlProtocol.write(ch, type, b, off + done, n);
            done += n;
          }
        }
      }
    };
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      server.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // the socket file is removed at the next start anyway
    }
  }
}
