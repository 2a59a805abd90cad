package org.selfstorage.federation.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a server. Once {@link #stallAfter} is armed, it stops relaying
 * in both directions after that many more bytes, keeping the sockets open: a partner that hangs in
 * the middle of a transfer.
 */
final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  StallingProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "stalling-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on, relay at most {@code bytes} more bytes (both directions together), then hang. */
  void stallAfter(long bytes) {
    budget.set(bytes);
  }

  private void accept() {
    while (!closed.get()) {
      try {
        Socket in = listener.accept();
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        InputStream i = from.getInputStream();
        OutputStream o = to.getOutputStream();
        int n;
        while ((n = i.read(buf)) >= 0) {
          if (budget.addAndGet(-n) < 0) {
            while (!closed.get()) {
              Thread.sleep(50); // hang: hold the connection, relay nothing
            }
            return;
          }
          o.write(buf, 0, n);
        }
      } catch (IOException | InterruptedException e) {
        // connection over
      }
    }, "stalling-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    closed.set(true);
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
