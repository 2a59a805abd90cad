package org.selfstorage.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads the sizes ({@code 500G}) and durations ({@code 24h}) people type on the command line. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?)(I?B)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhdw])", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /** {@code 500G}, {@code 1.5T}, {@code 300GiB}, {@code 10M}, or plain bytes; binary units (G = 2^30). */
  static final class Bytes implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim());
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a size like 500G, 1.5T or 800M");
      }
      int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
        case "K" -> 10;
        case "M" -> 20;
        case "G" -> 30;
        case "T" -> 40;
        case "P" -> 50;
        default -> 0;
      };
      double bytes = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
      if (bytes >= Long.MAX_VALUE / 2) {
        throw new CommandLine.TypeConversionException("'" + value + "' is too large");
      }
      return (long) bytes;
    }
  }

  /** {@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}. */
  static final class Period implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = DURATION.matcher(value.trim());
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30m, 24h or 7d");
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
}
