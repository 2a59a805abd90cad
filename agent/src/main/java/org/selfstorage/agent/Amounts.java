package org.selfstorage.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sizes ({@code 500G}) and periods ({@code 24h}) people type, the same way wherever they
 * type them (command line, web UI). Sizes use binary units (G = 2^30).
 */
public final class Amounts {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)\\s*([KMGTP]?)(?:I?B)?",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern PERIOD = Pattern.compile("(\\d{1,6})\\s*([smhdw])", Pattern.CASE_INSENSITIVE);

  private Amounts() {}

  /** {@code 500G}, {@code 1.5T}, {@code 300GiB}, {@code 10M}, or plain bytes. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size like 500G, 1.5T or 800M");
    }
    int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      case "P" -> 50;
      default -> 0;
    };
    double v = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
    if (v >= Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return (long) v;
  }

  /** {@code bytes} as people read it: {@code 512 B}, {@code 1.5 GiB}. */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** {@code 30m}, {@code 24h}, {@code 7d}, {@code 2w} (and seconds: {@code 90s}). */
  public static Duration period(String text) {
    Matcher m = PERIOD.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 30m, 24h or 7d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }
}
