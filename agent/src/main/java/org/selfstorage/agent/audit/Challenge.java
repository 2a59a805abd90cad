package org.selfstorage.agent.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A random-offset challenge over a shard body: the nonce picks {@value #WINDOWS} windows of
 * {@value #WINDOW} bytes, and the answer is a hash of the nonce, the body length and those windows.
 * A host can answer only by reading the real bytes at offsets it could not know in advance; the
 * owner, who does not keep the body, computes the answers while it has it (upload, rebuild, full
 * read) and keeps them until asked. Reading 16 KiB per challenge keeps audits cheap for both sides;
 * whole-body checks are the job of the full reads and of the host's scrub.
 *
 * <pre>
 * offset(i) = u64(SHA-256(nonce || "window" || u8 i)[0..8]) mod (bodyLength - WINDOW + 1)   (0 when shorter)
 * answer    = SHA-256(nonce || u64 bodyLength || window(0) || .. || window(3))[0..16]
 * </pre>
 */
public final class Challenge {
  public static final int NONCE = 16;
  public static final int ANSWER = 16;
  static final int WINDOWS = 4;
  static final int WINDOW = 4096;
  /** Challenges computed for a shard whenever its body is at hand; one is used per audit. */
  public static final int PER_SHARD = 4;

  /** Feeds {@code length} bytes of the body at {@code offset} to the digest. */
  @FunctionalInterface
  interface Body {
    void digest(MessageDigest d, long offset, int length) throws IOException;
  }

  private Challenge() {}

  /** The answer for a body held in memory. */
  public static byte[] answer(byte[] nonce, byte[] body) {
    return answer(nonce, body, 0, body.length);
  }

  /** The answer for a body that is {@code body[bodyOffset .. bodyOffset + bodyLength)}. */
  public static byte[] answer(byte[] nonce, byte[] body, int bodyOffset, int bodyLength) {
    java.util.Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
    try {
      return answer(nonce, bodyLength, (d, off, len) -> d.update(body, bodyOffset + (int) off, len));
    } catch (IOException e) {
      throw new IllegalStateException(e); // the body is in memory
    }
  }

  /** The answer for a body stored in a file after {@code headerBytes}. */
  public static byte[] answer(byte[] nonce, FileChannel file, long headerBytes) throws IOException {
    long bodyLength = Math.max(0, file.size() - headerBytes);
    return answer(nonce, bodyLength, (d, off, len) -> {
      ByteBuffer buf = ByteBuffer.allocate(len);
      while (buf.hasRemaining()) {
        if (file.read(buf, headerBytes + off + buf.position()) < 0) {
          break;
        }
      }
      d.update(buf.array()); // a short file reads as zeros past its end, as before
    });
  }

  static byte[] answer(byte[] nonce, long bodyLength, Body body) throws IOException {
    if (nonce.length != NONCE) {
      throw new IllegalArgumentException("a challenge nonce has " + NONCE + " bytes");
    }
    MessageDigest d = sha256();
    d.update(nonce);
    d.update(ByteBuffer.allocate(8).putLong(bodyLength).array());
    int length = (int) Math.min(WINDOW, bodyLength);
    for (int i = 0; i < WINDOWS; i++) {
      body.digest(d, offset(nonce, i, bodyLength), length);
    }
    return Arrays.copyOf(d.digest(), ANSWER);
  }

  static long offset(byte[] nonce, int i, long bodyLength) {
    long span = bodyLength - WINDOW + 1;
    if (span <= 1) {
      return 0;
    }
    MessageDigest d = sha256();
    d.update(nonce);
    d.update("window".getBytes(StandardCharsets.US_ASCII));
    d.update((byte) i);
    long v = ByteBuffer.wrap(d.digest()).getLong();
    return Math.floorMod(v, span);
  }

  /** {@link #PER_SHARD} fresh challenges for a body, as the catalog keeps them (nonce, answer, ...). */
  public static byte[] fresh(byte[] body, SecureRandom random) {
    return fresh(body, 0, body.length, random);
  }

  /** As above, for a body that is {@code body[bodyOffset .. bodyOffset + bodyLength)}. */
  public static byte[] fresh(byte[] body, int bodyOffset, int bodyLength, SecureRandom random) {
    byte[] out = new byte[PER_SHARD * (NONCE + ANSWER)];
    for (int i = 0; i < PER_SHARD; i++) {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      System.arraycopy(nonce, 0, out, i * (NONCE + ANSWER), NONCE);
      System.arraycopy(answer(nonce, body, bodyOffset, bodyLength), 0, out, i * (NONCE + ANSWER) + NONCE, ANSWER);
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
