package org.selfstorage.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that names chunks: HMAC-SHA256 of the chunk plaintext under a key derived for
 * {@link KeyPurpose#CHUNK_ID}. Ids are 32 bytes. Because the hash is keyed, a partner holding our
 * ciphertext cannot confirm a guess of the plaintext from a chunk id.
 *
 * <p>Thread-safe: each thread gets its own {@link Mac}.
 */
public final class ChunkIdKey {

  /** Length of a chunk id in bytes. */
  public static final int ID_LENGTH = 32;

  private static final String HMAC_SHA256 = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  private ChunkIdKey(SecretKeySpec key) {
    this.key = key;
  }

  /** The chunk id key of {@code secret}: HMAC key = {@code secret.derive(CHUNK_ID, 32)}. */
  public static ChunkIdKey derive(MasterSecret secret) {
    Objects.requireNonNull(secret, "secret");
    byte[] bytes = secret.derive(KeyPurpose.CHUNK_ID, 32);
    try {
      return new ChunkIdKey(new SecretKeySpec(bytes, HMAC_SHA256));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The 32-byte id of {@code data[offset .. offset+length)}. */
  public byte[] id(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(data, "data").length);
    Mac mac = macs.get();
    // small steps: see AeadCipher#seal, the same holds for the SHA-256 intrinsics
    for (int pos = 0; pos < length; pos += AeadCipher.SEAL_STEP) {
      mac.update(data, offset + pos, Math.min(AeadCipher.SEAL_STEP, length - pos));
    }
    return mac.doFinal();
  }

  /** The 32-byte id of all of {@code data}. */
  public byte[] id(byte[] data) {
    return id(data, 0, Objects.requireNonNull(data, "data").length);
  }

  @Override
  public String toString() {
    return "ChunkIdKey[redacted]";
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
    }
  }
}
