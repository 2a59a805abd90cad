package org.selfstorage.agent.chunk;

/**
 * Size bounds of content-defined chunks, in bytes.
 *
 * <p>{@code average} must be a power of two (it sets the cut masks); {@code min} and {@code max}
 * need not be. A chunk is never shorter than {@code min} unless the input ends first, and never
 * longer than {@code max}.
 *
 * @param min the number of bytes skipped before a cut point is looked for, at least 1
 * @param average the normal chunk size, a power of two in [2^10, 2^26]; from 2^10 up, a run of
 *     zero bytes never matches a cut mask, so zero runs become identical {@code max}-size chunks
 * @param max the largest chunk, at most 2^28 (256 MiB)
 */
public record ChunkerParams(int min, int average, int max) {

  /** Largest accepted {@link #max()}: a reader holds two of them in memory. */
  public static final int MAX_LIMIT = 1 << 28;

  private static final int AVERAGE_MIN = 1024;
  private static final int AVERAGE_MAX = 1 << 26;

  public ChunkerParams {
    if (min < 1) {
      throw new IllegalArgumentException("min must be at least 1, was " + min);
    }
    if (average < AVERAGE_MIN || average > AVERAGE_MAX || Integer.bitCount(average) != 1) {
      throw new IllegalArgumentException(
          "average must be a power of two in [" + AVERAGE_MIN + ", " + AVERAGE_MAX + "], was " + average);
    }
    if (!(min < average && average < max)) {
      throw new IllegalArgumentException(
          "need min < average < max, was " + min + " / " + average + " / " + max);
    }
    if (max > MAX_LIMIT) {
      throw new IllegalArgumentException("max must be at most " + MAX_LIMIT + ", was " + max);
    }
  }

  /** 256 KiB minimum, 1 MiB average, 4 MiB maximum. */
  public static ChunkerParams defaults() {
    return new ChunkerParams(256 * 1024, 1024 * 1024, 4 * 1024 * 1024);
  }
}
