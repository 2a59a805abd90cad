package org.selfstorage.federation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a partner's agent listens: a host name or IP literal and a TCP port. Parsed strictly, since
 * addresses arrive in invitation codes typed or pasted by people: {@code host:port},
 * {@code 192.0.2.7:2222} or {@code [2001:db8::7]:2222}. No user part ({@code user@host}), no IPv6
 * zone id ({@code fe80::1%eth0}), no path, no whitespace.
 */
public record PartnerAddress(String host, int port) {
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

  public PartnerAddress {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("a partner address needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1-65535");
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.indexOf(':') >= 0) {
      if (!IPV6.matcher(h).matches() || !isIpv6Literal(h)) {
        throw new IllegalArgumentException("not an IPv6 address: " + host);
      }
    } else if (!HOST_NAME.matcher(h).matches()) {
      throw new IllegalArgumentException("not a host name or IPv4 address: " + host);
    }
    host = h;
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static PartnerAddress parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty partner address");
    }
    if (text.length() > 300) {
      throw new IllegalArgumentException("partner address too long");
    }
    if (text.indexOf('@') >= 0) {
      throw new IllegalArgumentException("a partner address has no user part: " + text);
    }
    if (text.indexOf('%') >= 0) {
      throw new IllegalArgumentException("IPv6 zone ids are not accepted: " + text);
    }
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("expected [ipv6]:port, got " + text);
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException("brackets are only for IPv6 addresses: " + text);
      }
    } else {
      int colon = text.indexOf(':');
      if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("expected host:port (IPv6 as [address]:port), got " + text);
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    if (!port.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("not a port number: " + port);
    }
    return new PartnerAddress(host, Integer.parseInt(port));
  }

  private static boolean isIpv6Literal(String h) {
    try {
      return java.net.InetAddress.getByName("[" + h + "]") instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The canonical text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
