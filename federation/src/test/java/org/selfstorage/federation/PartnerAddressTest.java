package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PartnerAddressTest {
  @Test
  void parse_hostAndPort_roundTrips() {
    assertEquals(new PartnerAddress("bob.example", 2222), PartnerAddress.parse("bob.example:2222"));
    assertEquals(new PartnerAddress("127.0.0.1", 22), PartnerAddress.parse("127.0.0.1:22"));
    assertEquals("bob.example:2222", PartnerAddress.parse("Bob.Example:2222").toString());
  }

  @Test
  void parse_bracketedIpv6_roundTrips() {
    PartnerAddress a = PartnerAddress.parse("[2001:db8::7]:2222");
    assertEquals("2001:db8::7", a.host());
    assertEquals(2222, a.port());
    assertEquals("[2001:db8::7]:2222", a.toString());
    assertEquals(a, PartnerAddress.parse(a.toString()));
    assertEquals("::1", PartnerAddress.parse("[::1]:1").host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "bob", "bob:", ":22", "bob:0", "bob:65536", "bob:-1", "bob:22x", "bob:+22",
      "alice@bob:22", "user@[::1]:22", "[fe80::1%eth0]:22", "fe80::1%25eth0", "2001:db8::7:22", "[2001:db8::7]",
      "[2001:db8::7]22", "[bob]:22", "bob :22", " bob:22", "bob:22 ", "bob\n:22", "bo b:22", "bob/x:22",
      "bob.:22", "-bob:22", "bob..example:22", "[::1]:22:", "[[::1]]:22", "[g::1]:22", "b\u0430b:22", "bob:２２"})
  void parse_rejects(String text) {
    assertThrows(IllegalArgumentException.class, () -> PartnerAddress.parse(text));
  }

  @Test
  void parse_rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> PartnerAddress.parse(null));
  }
}
