package org.selfstorage.federation.ssh;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Admits guest logins: at most {@code perAddress} per remote address and {@code global} in all within
 * any window of one minute (a sliding log of admission times). IPv6 addresses count per /64, the
 * block one host usually holds. Only addresses with an admission inside the window are remembered,
 * so memory is bounded by {@code global}.
 */
final class GuestLimiter {
  private static final long WINDOW_NANOS = 60_000_000_000L;

  private final int perAddress;
  private final int global;
  private final LongSupplier clock;
  private final Map<InetAddress, ArrayDeque<Long>> byAddress = new HashMap<>();
  private final ArrayDeque<Long> all = new ArrayDeque<>();

  GuestLimiter(int perAddress, int global, LongSupplier clock) {
    this.perAddress = perAddress;
    this.global = global;
    this.clock = clock;
  }

  GuestLimiter(int perAddress, int global) {
    this(perAddress, global, System::nanoTime);
  }

  /** Guest logins admitted per address per minute. */
  int perAddress() {
    return perAddress;
  }

  /** Takes one admission for {@code address}, or answers false if a limit is reached. */
  synchronized boolean tryAdmit(InetAddress address) {
    long now = clock.getAsLong();
    expire(all, now);
    byAddress.values().removeIf(d -> {
      expire(d, now);
      return d.isEmpty();
    });
    if (perAddress == 0 || all.size() >= global) {
      return false;
    }
    ArrayDeque<Long> d = byAddress.computeIfAbsent(block(address), a -> new ArrayDeque<>());
    if (d.size() >= perAddress) {
      return false;
    }
    d.add(now);
    all.add(now);
    return true;
  }

  private static void expire(ArrayDeque<Long> d, long now) {
    while (!d.isEmpty() && now - d.peekFirst() >= WINDOW_NANOS) {
      d.pollFirst();
    }
  }

  static InetAddress block(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a;
    }
    byte[] b = a.getAddress();
    java.util.Arrays.fill(b, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return a; // cannot happen for 16 bytes
    }
  }
}
