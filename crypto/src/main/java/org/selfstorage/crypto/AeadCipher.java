package org.selfstorage.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Authenticated encryption with AES-256-GCM through Tink, for one {@link KeyPurpose}.
 *
 * <p>Output of {@link #seal}: a fresh random 12-byte IV, the ciphertext (as long as the
 * plaintext), and a 16-byte tag: {@link #OVERHEAD} = 28 bytes more than the plaintext. There is
 * no key id or version prefix (Tink's {@code NO_PREFIX} variant); the associated data binds a
 * ciphertext to its place (for example a pack id, or a pack id and shard index), so it cannot be
 * moved to another slot unnoticed.
 *
 * <p>Random IVs are safe for up to 2^32 messages per key. A {@code null} associated data is the
 * same as an empty one. Thread-safe.
 */
public final class AeadCipher {

  /** Bytes a sealed message has beyond its plaintext: 12 (IV) + 16 (tag). */
  public static final int OVERHEAD = 28;

  static final int IV_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int KEY_LENGTH = 32;

  private static final byte[] EMPTY = new byte[0];

  /** Plaintext is fed to the JCE cipher in steps of this size when sealing (see {@link #seal}). */
  static final int SEAL_STEP = 16 * 1024;

  private final Aead aead;
  private final KeyPurpose purpose;
  private final javax.crypto.spec.SecretKeySpec sealKey;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  /**
   * One JCE cipher per thread, initialised again for each message: a new one per message cost a
   * provider lookup and an AES key expansion each time (about 90 MB of garbage in a backup of the
   * bench set, and C2 compiling the key schedule again and again); the JDK skips the expansion
   * when the key is the one it already holds.
   */
  private final ThreadLocal<javax.crypto.Cipher> ciphers = ThreadLocal.withInitial(AeadCipher::newJceCipher);

  private AeadCipher(Aead aead, KeyPurpose purpose, byte[] keyBytes) {
    this.aead = aead;
    this.purpose = purpose;
    this.sealKey = new javax.crypto.spec.SecretKeySpec(keyBytes, "AES");
  }

  /** The cipher of {@code secret} for {@code purpose}: key bytes = {@code secret.derive(purpose, 32)}. */
  public static AeadCipher derive(MasterSecret secret, KeyPurpose purpose) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(purpose, "purpose");
    byte[] keyBytes = secret.derive(purpose, KEY_LENGTH);
    try {
      AesGcmParameters parameters =
          AesGcmParameters.builder()
              .setKeySizeBytes(KEY_LENGTH)
              .setIvSizeBytes(IV_LENGTH)
              .setTagSizeBytes(TAG_LENGTH)
              .setVariant(AesGcmParameters.Variant.NO_PREFIX)
              .build();
      AesGcmKey key =
          AesGcmKey.builder()
              .setParameters(parameters)
              .setKeyBytes(SecretBytes.copyFrom(keyBytes, InsecureSecretKeyAccess.get()))
              .build();
      return new AeadCipher(AesGcmJce.create(key), purpose, keyBytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
  }

  /**
   * Encrypts {@code plaintext[offset .. offset+length)} and binds it to {@code associatedData}.
   *
   * @return IV (12 bytes) || ciphertext (length bytes) || tag (16 bytes)
   */
  public byte[] seal(byte[] plaintext, int offset, int length, byte[] associatedData) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(plaintext, "plaintext").length);
    byte[] out = new byte[OVERHEAD + length];
    sealInto(EMPTY, plaintext, offset, length, associatedData, out, 0);
    return out;
  }

  /**
   * Seals the plaintext {@code prefix || plaintext[offset .. offset+length)} straight into
   * {@code out} at {@code outOffset}, in the format of {@link #seal}: a caller that assembles many
   * sealed messages in one buffer (a pack) needs neither a joined copy of the plaintext nor a
   * separate ciphertext array.
   *
   * @return the bytes written: {@link #OVERHEAD} + {@code prefix.length} + {@code length}
   */
  public int sealInto(byte[] prefix, byte[] plaintext, int offset, int length, byte[] associatedData, byte[] out,
      int outOffset) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(plaintext, "plaintext").length);
    int total = OVERHEAD + prefix.length + length;
    Objects.checkFromIndexSize(outOffset, total, Objects.requireNonNull(out, "out").length);
    // The same AES-GCM as Tink's (IV || ciphertext || tag, so Tink opens it), but fed in small
    // update() steps: one large doFinal keeps the JDK's GCM out of its compiled intrinsics for the
    // first several hundred MiB of a JVM's life (40-50 MB/s measured), small steps get there
    // within tens of MiB.
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, out, outOffset, IV_LENGTH);
    try {
      javax.crypto.Cipher cipher = ciphers.get();
      cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, sealKey, new javax.crypto.spec.GCMParameterSpec(TAG_LENGTH * 8, iv));
      if (associatedData != null && associatedData.length > 0) {
        cipher.updateAAD(associatedData);
      }
      int written = IV_LENGTH;
      if (prefix.length > 0) {
        written += cipher.update(prefix, 0, prefix.length, out, outOffset + written);
      }
      for (int pos = 0; pos < length; pos += SEAL_STEP) {
        written += cipher.update(plaintext, offset + pos, Math.min(SEAL_STEP, length - pos), out, outOffset + written);
      }
      written += cipher.doFinal(out, outOffset + written);
      if (written != total) {
        throw new IllegalStateException("AES-GCM produced " + written + " bytes, expected " + total);
      }
      return total;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM encryption failed", e);
    }
  }

  /** Encrypts all of {@code plaintext}; see {@link #seal(byte[], int, int, byte[])}. */
  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    return seal(plaintext, 0, Objects.requireNonNull(plaintext, "plaintext").length, associatedData);
  }

  /**
   * Checks and decrypts {@code ciphertext[offset .. offset+length)}, which must have been sealed
   * by a cipher with the same key and with the same associated data.
   *
   * @throws AuthenticationFailedException if the ciphertext is too short, was made with another
   *     key or other associated data, or was changed in any way
   */
  public byte[] open(byte[] ciphertext, int offset, int length, byte[] associatedData)
      throws AuthenticationFailedException {
    byte[] input = slice(Objects.requireNonNull(ciphertext, "ciphertext"), offset, length);
    if (length < OVERHEAD) {
      throw tooShort(length);
    }
    try {
      return aead.decrypt(input, associatedData == null ? EMPTY : associatedData);
    } catch (GeneralSecurityException e) {
      throw doesNotAuthenticate(e);
    }
  }

  /**
   * As {@link #open(byte[], int, int, byte[])}, but writes the plaintext into {@code out} at
   * {@code outOffset} (which needs {@code length - OVERHEAD} bytes there): a restore that opens
   * blob after blob into one reused buffer allocates nothing per blob. Runs the JDK's AES-GCM
   * directly (Tink's {@code Aead} has no call that decrypts into a given buffer), on the format
   * that {@link #seal} writes and Tink reads. On failure, the output range holds no plaintext.
   *
   * @return the plaintext length, {@code length - OVERHEAD}
   */
  public int openInto(byte[] ciphertext, int offset, int length, byte[] associatedData, byte[] out, int outOffset)
      throws AuthenticationFailedException {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(ciphertext, "ciphertext").length);
    if (length < OVERHEAD) {
      throw tooShort(length);
    }
    int plain = length - OVERHEAD;
    Objects.checkFromIndexSize(outOffset, plain, Objects.requireNonNull(out, "out").length);
    try {
      javax.crypto.Cipher cipher = ciphers.get();
      cipher.init(javax.crypto.Cipher.DECRYPT_MODE, sealKey,
          new javax.crypto.spec.GCMParameterSpec(TAG_LENGTH * 8, ciphertext, offset, IV_LENGTH));
      if (associatedData != null && associatedData.length > 0) {
        cipher.updateAAD(associatedData);
      }
      int n = cipher.doFinal(ciphertext, offset + IV_LENGTH, length - IV_LENGTH, out, outOffset);
      if (n != plain) {
        throw new IllegalStateException("AES-GCM produced " + n + " bytes, expected " + plain);
      }
      return n;
    } catch (javax.crypto.AEADBadTagException e) {
      Arrays.fill(out, outOffset, outOffset + plain, (byte) 0); // the JDK clears it too; not relied on
      throw doesNotAuthenticate(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM decryption failed", e);
    }
  }

  private static javax.crypto.Cipher newJceCipher() {
    try {
      return javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
    }
  }

  private AuthenticationFailedException tooShort(int length) {
    return new AuthenticationFailedException(
        "the " + purpose.label() + " ciphertext is " + length + " bytes long, shorter than the "
            + OVERHEAD + " bytes that every sealed message has; it is truncated or damaged");
  }

  private AuthenticationFailedException doesNotAuthenticate(GeneralSecurityException cause) {
    return new AuthenticationFailedException(
        "the " + purpose.label() + " ciphertext does not authenticate: it was damaged,"
            + " made with another key, or belongs to another place (associated data)",
        cause);
  }

  /** Opens all of {@code ciphertext}; see {@link #open(byte[], int, int, byte[])}. */
  public byte[] open(byte[] ciphertext, byte[] associatedData)
      throws AuthenticationFailedException {
    return open(
        ciphertext, 0, Objects.requireNonNull(ciphertext, "ciphertext").length, associatedData);
  }

  /** The purpose this cipher's key was derived for. */
  public KeyPurpose purpose() {
    return purpose;
  }

  @Override
  public String toString() {
    return "AeadCipher[AES-256-GCM, " + purpose + ", key redacted]";
  }

  /**
   * Runs AES-GCM over a few thousand small messages with a throwaway key, so that the JIT compiles
   * the GCM code with its hardware intrinsics before real work arrives. A fresh JVM otherwise
   * encrypts large messages at a few tens of MB/s until a few hundred MiB have gone through,
   * which is most of a short-lived command's life. Takes about half a second of one core; call
   * it from a background thread when a command is about to move a lot of data.
   */
  public static void warmUp() {
    byte[] key = new byte[KEY_LENGTH];
    new java.security.SecureRandom().nextBytes(key);
    try (MasterSecret throwaway = MasterSecret.fromBytes(Arrays.copyOf(key, MasterSecret.LENGTH))) {
      AeadCipher cipher = derive(throwaway, KeyPurpose.METADATA);
      byte[] message = new byte[4096];
      byte[] ad = new byte[16];
      byte[] pack = new byte[1 + OVERHEAD + message.length];
      for (int i = 0; i < 4000; i++) {
        // the paths real work takes: a whole message, and one sealed and opened inside a pack
        byte[] sealed = cipher.seal(message, 0, message.length, ad);
        cipher.open(sealed, 0, sealed.length, ad);
        int n = cipher.sealInto(EMPTY, message, 0, message.length, ad, pack, 1);
        cipher.open(pack, 1, n, ad);
        cipher.openInto(pack, 1, n, ad, message, 0);
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] slice(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    return offset == 0 && length == array.length
        ? array
        : Arrays.copyOfRange(array, offset, offset + length);
  }
}
