package org.selfstorage.cli;

import java.time.Duration;
import org.selfstorage.agent.Amounts;
import picocli.CommandLine;

/** Reads the sizes ({@code 500G}) and durations ({@code 24h}) people type on the command line. */
final class Sizes {

  private Sizes() {}

  /** {@code 500G}, {@code 1.5T}, {@code 300GiB}, {@code 10M}, or plain bytes; binary units (G = 2^30). */
  static final class Bytes implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Amounts.bytes(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}. */
  static final class Period implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Amounts.period(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
