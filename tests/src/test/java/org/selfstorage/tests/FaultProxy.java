package org.selfstorage.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space TCP relay on a loopback address in front of an agent's SSH port, with switchable
 * faults (the kernel here has no netem, so latency, bandwidth, stalls and resets are made in the
 * relay). Partners reach each other at the address recorded at pairing, so an agent that
 * advertises the relay's address is reached only through it.
 *
 * <p>A fault applies to connections already open and to new ones. {@link #after} arms a fault
 * that starts once that many more bytes have been relayed (both directions, all connections):
 * a fault in the middle of a transfer. {@link #heal} returns to passing and drops every connection
 * that saw a fault, as a restarted router would, so that clients reconnect cleanly.
 */
final class FaultProxy implements AutoCloseable {
  enum Mode {
    /** Relay everything (with the configured latency and bandwidth cap). */
    PASS,
    /** Accept and read, forward nothing in either direction: a peer that stopped making progress. */
    STALL,
    /** Close with RST (SO_LINGER 0) as soon as a connection moves a byte or is accepted. */
    RESET,
    /** Accept and hold; never read, never answer, never connect onwards: packets dropped. */
    BLACKHOLE,
    /** The far side is gone without FIN or RST: upstream closed, the client's socket kept open and silent. */
    HALF_OPEN,
    /** Relay, but flip one byte in every chunk: a link that corrupts data. */
    GARBLE
  }

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final AtomicLong relayed = new AtomicLong();
  private final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
  private volatile Mode mode = Mode.PASS;
  private volatile Mode pending = Mode.PASS;
  private volatile long latencyMillis;
  private volatile long bytesPerSecond;
  private volatile boolean closed;

  private FaultProxy(String host, InetSocketAddress target) throws IOException {
    if (!host.startsWith("127.")) {
      throw new IllegalArgumentException("the fault proxy listens on loopback only: " + host);
    }
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getByName(host));
    Thread t = new Thread(this::acceptLoop, "fault-proxy-" + port());
    t.setDaemon(true);
    t.start();
  }

  /** A relay listening on {@code host} (127.0.0.x) and a free port, forwarding to {@code targetHost:targetPort}. */
  static FaultProxy start(String host, String targetHost, int targetPort) throws IOException {
    return new FaultProxy(host, new InetSocketAddress(targetHost, targetPort));
  }

  String host() {
    return listener.getInetAddress().getHostAddress();
  }

  int port() {
    return listener.getLocalPort();
  }

  String address() {
    return host() + ":" + port();
  }

  /** Bytes relayed so far, both directions. */
  long relayed() {
    return relayed.get();
  }

  /** Switches every connection, open or new, to {@code m} now. */
  FaultProxy set(Mode m) {
    budget.set(Long.MAX_VALUE);
    pending = m;
    mode = m;
    if (m == Mode.RESET || m == Mode.HALF_OPEN) {
      links.forEach(l -> l.fault(m));
    }
    return this;
  }

  /** Arms {@code m} to start once {@code bytes} more bytes have been relayed. */
  FaultProxy after(long bytes, Mode m) {
    pending = m;
    mode = Mode.PASS;
    budget.set(bytes);
    return this;
  }

  /** Adds {@code millis} of latency to every chunk relayed (each direction). */
  FaultProxy latency(long millis) {
    latencyMillis = millis;
    return this;
  }

  /** Caps each direction of each connection at {@code rate} bytes per second (0: no cap). */
  FaultProxy bandwidth(long rate) {
    bytesPerSecond = rate;
    return this;
  }

  /** Back to passing, no latency, no cap; connections that saw a fault are dropped. */
  FaultProxy heal() {
    latencyMillis = 0;
    bytesPerSecond = 0;
    budget.set(Long.MAX_VALUE);
    pending = Mode.PASS;
    mode = Mode.PASS;
    links.stream().filter(l -> l.faulted).forEach(Link::close);
    return this;
  }

  private Mode current(int n) {
    if (mode == Mode.PASS && budget.get() != Long.MAX_VALUE && budget.addAndGet(-n) < 0) {
      mode = pending;
    }
    return mode;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      Link link = new Link(client);
      links.add(link);
      Mode m = mode;
      try {
        switch (m) {
          case BLACKHOLE, HALF_OPEN -> link.faulted = true; // held: never read, never connected onwards
          case RESET -> link.fault(Mode.RESET);
          default -> link.open(); // STALL: connected, but the pumps drop every byte
        }
      } catch (IOException e) {
        link.close();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    links.forEach(Link::close);
  }

  /** One client connection and, once connected onwards, its upstream socket. */
  private final class Link {
    final Socket client;
    volatile Socket upstream;
    volatile boolean faulted;

    Link(Socket client) {
      this.client = client;
    }

    void open() throws IOException {
      Socket up = new Socket();
      up.connect(target, 5_000);
      up.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      upstream = up;
      pump(client, up);
      pump(up, client);
    }

    void fault(Mode m) {
      faulted = true;
      if (m == Mode.RESET) {
        reset(client);
        close();
      } else if (m == Mode.HALF_OPEN) {
        Socket up = upstream;
        if (up != null) {
          quietly(up);
        }
      }
    }

    private void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[32 * 1024];
        long nextFree = System.nanoTime();
        try (InputStream in = from.getInputStream()) {
          OutputStream out = to.getOutputStream();
          int n;
          while ((n = in.read(buf)) > 0) {
            Mode m = current(n);
            switch (m) {
              case PASS, GARBLE -> {
                if (m == Mode.GARBLE) {
                  faulted = true;
                  buf[n / 2] ^= 0x5a;
                }
                long latency = latencyMillis;
                long rate = bytesPerSecond;
                if (latency > 0) {
                  Thread.sleep(latency); // the injected latency itself, not synchronisation
                }
                if (rate > 0) {
                  long now = System.nanoTime();
                  if (nextFree > now) {
                    long wait = nextFree - now;
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing to the cap
                  }
                  nextFree = Math.max(nextFree, now) + n * 1_000_000_000L / rate;
                }
                out.write(buf, 0, n);
                out.flush();
                relayed.addAndGet(n);
              }
              case RESET -> {
                fault(Mode.RESET);
                return;
              }
              case HALF_OPEN -> fault(Mode.HALF_OPEN); // keep reading what the client sends, answer nothing
              default -> faulted = true; // STALL, BLACKHOLE: read and drop
            }
          }
        } catch (IOException | InterruptedException e) {
          // the connection ended; the other direction notices through its own socket
        } finally {
          if (!faulted) {
            close();
          }
        }
      }, "fault-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    void close() {
      quietly(client);
      Socket up = upstream;
      if (up != null) {
        quietly(up);
      }
      links.remove(this);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed: nothing to reset
    }
    quietly(s);
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
