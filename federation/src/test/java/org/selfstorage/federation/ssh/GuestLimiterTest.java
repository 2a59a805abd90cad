package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GuestLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void tenPerAddressPerMinute_thenRefused_untilTheWindowSlides() throws Exception {
    GuestLimiter l = new GuestLimiter(10, 60, now::get);
    for (int i = 0; i < 10; i++) {
      assertTrue(l.tryAdmit(ip("192.0.2.1")), "admission " + (i + 1));
      now.addAndGet(1_000_000_000L);
    }
    assertFalse(l.tryAdmit(ip("192.0.2.1")), "the 11th within a minute");
    assertTrue(l.tryAdmit(ip("192.0.2.2")), "another address is counted apart");
    now.addAndGet(50_000_000_000L); // 60 s after the first admission
    assertTrue(l.tryAdmit(ip("192.0.2.1")));
    assertFalse(l.tryAdmit(ip("192.0.2.1")));
  }

  @Test
  void globalCap_andIpv6CountedPerSlash64() throws Exception {
    GuestLimiter l = new GuestLimiter(10, 60, now::get);
    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      if (l.tryAdmit(ip("198.51.100." + i))) {
        admitted++;
      }
    }
    assertEquals(60, admitted);
    GuestLimiter v6 = new GuestLimiter(2, 60, now::get);
    assertTrue(v6.tryAdmit(ip("2001:db8::1")));
    assertTrue(v6.tryAdmit(ip("2001:db8::2:3")));
    assertFalse(v6.tryAdmit(ip("2001:db8::ffff:1")), "same /64");
    assertTrue(v6.tryAdmit(ip("2001:db8:0:1::1")));
  }

  @Test
  void zeroAdmitsNone() throws Exception {
    assertFalse(new GuestLimiter(0, 60, now::get).tryAdmit(ip("192.0.2.1")));
  }
}
