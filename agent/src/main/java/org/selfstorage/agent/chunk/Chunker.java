package org.selfstorage.agent.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * FastCDC content-defined chunking (Xia et al., USENIX ATC 2016) with normalized chunking level 2
 * and cut-point skipping of the first {@code min} bytes.
 *
 * <p>The rolling fingerprint is the Gear hash {@code fp = (fp << 1) + GEAR[b]}, started at zero
 * on the byte at offset {@code min} of the chunk. A cut is placed after the first byte at which
 * {@code (fp & mask) == 0}, using the stricter mask {@code maskS} (log2(average) + 2 bits) before
 * offset {@code average} and the looser {@code maskL} (log2(average) - 2 bits) after it, and
 * unconditionally at {@code max}. Both masks take their bits from bit 60 downwards, where each
 * bit depends on at least the last 34 bytes, and leave bits 61-63 clear for the four-byte steps of
 * {@link #scan}. The exact format is in {@code docs/codec-formats.md}; changing anything here
 * changes every chunk boundary and so every chunk id.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Chunker {

  /** Label hashed with each byte value to make the Gear table. */
  static final String GEAR_LABEL = "selfstorage/gear/v1";

  /** {@code GEAR[i]} = first 8 bytes, big-endian, of SHA-256(GEAR_LABEL || (byte) i). */
  private static final long[] GEAR = gearTable();

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final ChunkerParams params;
  private final int min;
  private final int average;
  private final int max;
  private final long maskS;
  private final long maskL;

  public Chunker(ChunkerParams params) {
    this.params = Objects.requireNonNull(params, "params");
    this.min = params.min();
    this.average = params.average();
    this.max = params.max();
    int bits = Integer.numberOfTrailingZeros(average);
    this.maskS = mask(bits + 2);
    this.maskL = mask(bits - 2);
  }

  public ChunkerParams params() {
    return params;
  }

  /**
   * Length of the chunk starting at {@code buf[offset]}.
   *
   * <p>The caller guarantees {@code length >= params.max()} unless the input ends within
   * {@code [offset, offset + length)}: the last bytes of the input then form the last chunk(s).
   *
   * @return a value in {@code [min(length, params.min()), min(length, params.max())]}
   */
  public int cut(byte[] buf, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buf.length);
    if (length <= min) {
      return length;
    }
    int end = Math.min(length, max);
    int normal = Math.min(average, end);
    int i = scan(buf, offset + min, offset + normal, 0L, maskS);
    if (i < 0) {
      i = scan(buf, offset + normal, offset + end, fpAt(buf, offset + min, offset + normal), maskL);
      if (i < 0) {
        return end;
      }
    }
    return i - offset;
  }

  /**
   * Rolls the fingerprint from {@code fp} over {@code buf[from, to)} and returns the index just
   * after the first byte where {@code (fp & mask) == 0}, or -1.
   *
   * <p>Eight bytes are read at once (one little-endian {@code long}) and rolled in two steps of
   * four. Within a step the stored fingerprint is the true one shifted left by 3, 2, 1, 0 after the
   * first, second, third and fourth byte, and the mask is shifted with it; this shortens the
   * loop-carried dependency to one shift and four additions per four bytes. It is exact because
   * the masks leave bits 61-63 clear (see {@link #mask(int)}).
   */
  private static int scan(byte[] buf, int from, int to, long fp, long mask) {
    long[] gear = GEAR;
    long mask1 = mask << 1;
    long mask2 = mask << 2;
    long mask3 = mask << 3;
    int i = from;
    for (; i < to - 7; i += 8) {
      long w = (long) LONGS.get(buf, i);
      fp = (fp << 4) + (gear[(int) w & 0xff] << 3);
      if ((fp & mask3) == 0) {
        return i + 1;
      }
      fp += gear[(int) (w >>> 8) & 0xff] << 2;
      if ((fp & mask2) == 0) {
        return i + 2;
      }
      fp += gear[(int) (w >>> 16) & 0xff] << 1;
      if ((fp & mask1) == 0) {
        return i + 3;
      }
      fp += gear[(int) (w >>> 24) & 0xff];
      if ((fp & mask) == 0) {
        return i + 4;
      }
      fp = (fp << 4) + (gear[(int) (w >>> 32) & 0xff] << 3);
      if ((fp & mask3) == 0) {
        return i + 5;
      }
      fp += gear[(int) (w >>> 40) & 0xff] << 2;
      if ((fp & mask2) == 0) {
        return i + 6;
      }
      fp += gear[(int) (w >>> 48) & 0xff] << 1;
      if ((fp & mask1) == 0) {
        return i + 7;
      }
      fp += gear[(int) (w >>> 56)];
      if ((fp & mask) == 0) {
        return i + 8;
      }
    }
    for (; i < to; i++) {
      fp = (fp << 1) + gear[buf[i] & 0xff];
      if ((fp & mask) == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * The fingerprint after rolling over {@code buf[from, to)} from zero. Only the last 64 bytes
   * matter: older contributions have been shifted out of the 64-bit value.
   */
  private static long fpAt(byte[] buf, int from, int to) {
    long[] gear = GEAR;
    long fp = 0;
    for (int i = Math.max(from, to - 64); i < to; i++) {
      fp = (fp << 1) + gear[buf[i] & 0xff];
    }
    return fp;
  }

  /** {@code bits} one-bits ending at bit 60: bits {@code 61 - bits .. 60}. */
  static long mask(int bits) {
    return ((1L << bits) - 1) << (61 - bits);
  }

  /** A copy of the Gear table, for tests and documentation. */
  static long[] gear() {
    return GEAR.clone();
  }

  private static long[] gearTable() {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    byte[] label = GEAR_LABEL.getBytes(StandardCharsets.US_ASCII);
    long[] table = new long[256];
    for (int i = 0; i < 256; i++) {
      sha256.update(label);
      sha256.update((byte) i);
      byte[] digest = sha256.digest();
      long v = 0;
      for (int b = 0; b < 8; b++) {
        v = (v << 8) | (digest[b] & 0xff);
      }
      table[i] = v;
    }
    return table;
  }
}
