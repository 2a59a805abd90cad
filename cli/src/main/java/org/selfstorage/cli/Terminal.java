package org.selfstorage.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.selfstorage.agent.Progress;

/** Formatting for people: sizes, durations, and a progress line redrawn in place on a terminal. */
final class Terminal {
  private Terminal() {}

  static String size(long bytes) {
    return org.selfstorage.agent.Amounts.size(bytes);
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    return String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
  }

  /** A listener that redraws one status line on stderr, only when stderr is a person's terminal. */
  static Progress.Listener progress(boolean quiet, Console console) {
    if (quiet || !console.interactive()) {
      return Progress.Listener.NONE;
    }
    PrintStream err = console.err();
    long start = System.nanoTime();
    return p -> {
      double secs = Math.max(0.001, (System.nanoTime() - start) / 1e9);
      String line = String.format(Locale.ROOT, "%s: %d items, %s%s, %s/s%s", p.phase(), p.items(), size(p.bytes()),
          p.bytesTotal() > 0 ? " of " + size(p.bytesTotal()) : "", size((long) (p.bytes() / secs)),
          p.newBytes() > 0 ? ", " + size(p.newBytes()) + " new" : "");
      String detail = p.detail();
      int room = 100 - line.length();
      if (!detail.isEmpty() && room > 10) {
        line += "  " + (detail.length() > room ? "..." + detail.substring(detail.length() - room + 3) : detail);
      }
      err.print("\r\033[K" + escape(line));
      err.flush();
    };
  }

  static void endProgress(boolean quiet, Console console) {
    if (!quiet && console.interactive()) {
      console.err().print("\r\033[K");
      console.err().flush();
    }
  }

  /** Shows control characters in names visibly, so a file name cannot rewrite the terminal. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
