package org.selfstorage.agent.chunk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A second, deliberately plain implementation of the chunk format in docs/codec-formats.md: one
 * byte per step, its own Gear table. {@link Chunker} must agree with it everywhere.
 */
final class ReferenceChunker {

  private final long[] gear = new long[256];
  private final ChunkerParams params;
  private final long maskS;
  private final long maskL;

  ReferenceChunker(ChunkerParams params) {
    this.params = params;
    int bits = Integer.numberOfTrailingZeros(params.average());
    // bits..60 of the 64-bit fingerprint
    this.maskS = ((1L << (bits + 2)) - 1) << (61 - (bits + 2));
    this.maskL = ((1L << (bits - 2)) - 1) << (61 - (bits - 2));
    try {
      for (int i = 0; i < 256; i++) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("selfstorage/gear/v1".getBytes(StandardCharsets.US_ASCII));
        md.update(new byte[] {(byte) i});
        gear[i] = java.nio.ByteBuffer.wrap(md.digest()).getLong();
      }
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  long gear(int i) {
    return gear[i];
  }

  int cut(byte[] buf, int offset, int length) {
    int n = Math.min(length, params.max());
    if (length <= params.min()) {
      return length;
    }
    long fp = 0;
    for (int i = params.min(); i < n; i++) {
      fp = (fp << 1) + gear[buf[offset + i] & 0xff];
      long mask = i < params.average() ? maskS : maskL;
      if ((fp & mask) == 0) {
        return i + 1;
      }
    }
    return n;
  }
}
