package org.selfstorage.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), extract then expand. */
public final class Hkdf {

  /** The longest output RFC 5869 allows for SHA-256: 255 blocks of 32 bytes. */
  public static final int MAX_LENGTH = 255 * 32;

  private static final String HMAC_SHA256 = "HmacSHA256";

  private Hkdf() {}

  /**
   * Returns {@code length} bytes of HKDF-SHA256 output.
   *
   * @param ikm input keying material
   * @param salt the extract salt; an empty salt means 32 zero bytes, as in RFC 5869
   * @param info the expand context
   * @param length 1 to {@link #MAX_LENGTH} bytes
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    Objects.requireNonNull(ikm, "ikm");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(info, "info");
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output length must be 1 to " + MAX_LENGTH + " bytes, not " + length);
    }
    byte[] prk = null;
    byte[] block = new byte[0];
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, HMAC_SHA256));
      prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, HMAC_SHA256));
      byte[] out = new byte[length];
      int written = 0;
      for (int counter = 1; written < length; counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        Arrays.fill(block, (byte) 0);
        block = mac.doFinal();
        int n = Math.min(block.length, length - written);
        System.arraycopy(block, 0, out, written, n);
        written += n;
      }
      return out;
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every Java SE runtime.
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    } finally {
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
      Arrays.fill(block, (byte) 0);
    }
  }
}
