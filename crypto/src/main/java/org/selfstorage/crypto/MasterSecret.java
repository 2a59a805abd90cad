package org.selfstorage.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;
import org.selfstorage.crypto.internal.Hkdf;

/**
 * The 128-bit secret from which every key of an agent is derived. It is stored in the home's key
 * file and printed once, as a {@link RecoveryCode}, for the owner to keep on paper.
 *
 * <p>Keys are derived with HKDF-SHA256: the secret is the input keying material, the salt is the
 * ASCII string {@code "selfstorage/v1"} and the info is {@link KeyPurpose#label()}.
 *
 * <p>Thread-safe. After {@link #destroy()} (or {@link #close()}) the secret bytes are overwritten
 * with zeros and every method except {@link #isDestroyed()}, {@link #destroy()}, {@link #close()}
 * and {@link #toString()} throws {@link IllegalStateException}.
 */
public final class MasterSecret implements Destroyable, AutoCloseable {

  /** The secret's length in bytes: 128 bits of entropy. */
  public static final int LENGTH = 16;

  /** The HKDF salt shared by every derivation. */
  private static final byte[] HKDF_SALT = "selfstorage/v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] secret;
  private boolean destroyed;

  private MasterSecret(byte[] secret) {
    this.secret = secret;
  }

  /** A fresh secret from {@code random}. */
  public static MasterSecret generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new MasterSecret(bytes);
  }

  /**
   * A secret from its 16 bytes, as stored in the key file. The array is copied; the caller may
   * wipe it afterwards.
   *
   * @throws IllegalArgumentException if {@code secret16} is not 16 bytes long
   */
  public static MasterSecret fromBytes(byte[] secret16) {
    Objects.requireNonNull(secret16, "secret16");
    if (secret16.length != LENGTH) {
      throw new IllegalArgumentException(
          "a master secret is " + LENGTH + " bytes, not " + secret16.length);
    }
    return new MasterSecret(secret16.clone());
  }

  /** The secret that a recovery code carries. */
  public static MasterSecret fromRecoveryCode(RecoveryCode code) {
    Objects.requireNonNull(code, "code");
    byte[] bytes = code.secretBytes();
    try {
      return fromBytes(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A copy of the 16 secret bytes, to store in the home's key file. Wipe it when done. */
  public synchronized byte[] toBytes() {
    checkNotDestroyed();
    return secret.clone();
  }

  /** The recovery code that prints this secret for the owner. */
  public synchronized RecoveryCode recoveryCode() {
    checkNotDestroyed();
    return RecoveryCode.of(secret);
  }

  /**
   * Derives key material for one purpose: HKDF-SHA256(ikm = this secret, salt = "selfstorage/v1",
   * info = purpose.label(), length). The same secret and purpose always give the same bytes.
   *
   * @param length 1 to 8160 bytes
   */
  public synchronized byte[] derive(KeyPurpose purpose, int length) {
    Objects.requireNonNull(purpose, "purpose");
    checkNotDestroyed();
    return Hkdf.sha256(
        secret, HKDF_SALT, purpose.label().getBytes(StandardCharsets.US_ASCII), length);
  }

  /** Overwrites the secret with zeros. Idempotent. */
  @Override
  public synchronized void destroy() {
    Arrays.fill(secret, (byte) 0);
    destroyed = true;
  }

  @Override
  public synchronized boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  @Override
  public String toString() {
    return "MasterSecret[redacted]";
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("this master secret has been destroyed");
    }
  }
}
