package org.selfstorage.crypto;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.selfstorage.crypto.internal.Ed25519Keys;

/**
 * The agent's Ed25519 identity. It is derived from the {@link MasterSecret} (the RFC 8032 seed is
 * {@code secret.derive(IDENTITY, 32)}), so an agent recovered from its recovery code has the same
 * identity and its partners recognise it. The same key is the agent's SSH host key and SSH user
 * key ({@code ssh-ed25519}).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows only the public fingerprint.
 */
public final class Identity {

  /** Length of a raw Ed25519 public key. */
  public static final int PUBLIC_KEY_LENGTH = 32;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKey;
  private final KeyPair keyPair;

  private Identity(Ed25519PrivateKeyParameters privateKey, byte[] publicKey, KeyPair keyPair) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyPair = keyPair;
  }

  /** The identity of {@code secret}. */
  public static Identity derive(MasterSecret secret) {
    Objects.requireNonNull(secret, "secret");
    byte[] seed = secret.derive(KeyPurpose.IDENTITY, 32);
    try {
      Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(seed, 0);
      byte[] publicKey = privateKey.generatePublicKey().getEncoded();
      return new Identity(privateKey, publicKey, Ed25519Keys.jcaKeyPair(seed, publicKey));
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The raw 32-byte Ed25519 public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * The key pair as JCA objects, for SSH: Bouncy Castle {@code BCEdDSAPublicKey} and {@code
   * BCEdDSAPrivateKey} (algorithm {@code "Ed25519"}, implementing {@code
   * org.bouncycastle.jcajce.interfaces.EdDSAPublicKey} / {@code EdDSAPrivateKey}). These are the
   * classes Apache MINA SSHD 2.20 handles as {@code ssh-ed25519} through its Bouncy Castle EdDSA
   * support; see {@code docs/crypto-formats.md} for what the SSH side must set up.
   */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** The OpenSSH fingerprint of this identity, as {@code ssh-keygen -lf} prints it. */
  public String fingerprint() {
    return fingerprintOf(publicKey);
  }

  /** The public key as one OpenSSH line without comment: {@code "ssh-ed25519 AAAAC3Nz..."}. */
  public String openSshPublicKey() {
    return Ed25519Keys.openSshPublicKey(publicKey);
  }

  /**
   * {@code "SHA256:"} followed by the unpadded base64 of SHA-256 over the SSH wire encoding of the
   * key (string "ssh-ed25519", string key): the same text as {@code ssh-keygen -lf}.
   *
   * @throws IllegalArgumentException if {@code publicKey32} is not 32 bytes
   */
  public static String fingerprintOf(byte[] publicKey32) {
    return Ed25519Keys.fingerprint(publicKey32);
  }

  /**
   * The raw 32-byte key of an Ed25519 {@link PublicKey} object, whatever its provider (Bouncy
   * Castle, the JDK, or an SSH library's key objects that use either), read from its standard
   * X.509 encoding. Lets SSH code pin a partner's key with {@link #fingerprintOf(byte[])} without
   * depending on key classes.
   *
   * @throws IllegalArgumentException if {@code key} is not an Ed25519 public key
   */
  public static byte[] publicKeyOf(PublicKey key) {
    return Ed25519Keys.rawPublicKey(Objects.requireNonNull(key, "key"));
  }

  /** A 64-byte Ed25519 signature (RFC 8032, pure Ed25519) of {@code message}. */
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code
   * publicKey32}. Malformed input (a key or signature of the wrong length, a key that is not a
   * curve point) gives {@code false}.
   */
  public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "message");
    if (publicKey32 == null
        || publicKey32.length != PUBLIC_KEY_LENGTH
        || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey32, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "Identity[" + fingerprint() + "]";
  }
}
