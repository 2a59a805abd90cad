package org.selfstorage.federation.ssh;

/** Escapes test paths for failure messages. */
final class HostedLayoutPrinter {
  private HostedLayoutPrinter() {}

  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.substring(0, Math.min(60, s.length())).toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return b.toString();
  }
}
