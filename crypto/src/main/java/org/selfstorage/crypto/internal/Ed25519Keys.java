package org.selfstorage.crypto.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.edec.KeyFactorySpi;

/**
 * Ed25519 keys as other software wants them: Bouncy Castle JCA key objects (the classes Apache
 * MINA SSHD's Bouncy Castle EdDSA support accepts) and the SSH public key encoding.
 */
public final class Ed25519Keys {

  public static final String SSH_KEY_TYPE = "ssh-ed25519";
  public static final int PUBLIC_KEY_LENGTH = 32;

  /** id-Ed25519 (RFC 8410). */
  private static final AlgorithmIdentifier ED25519 =
      new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112"));

  private Ed25519Keys() {}

  /**
   * A JCA key pair of Bouncy Castle {@code BCEdDSAPublicKey} / {@code BCEdDSAPrivateKey} objects
   * (algorithm name {@code "Ed25519"}), made without registering a security provider.
   */
  public static KeyPair jcaKeyPair(byte[] seed32, byte[] publicKey32) {
    KeyFactorySpi.Ed25519 factory = new KeyFactorySpi.Ed25519();
    try {
      PublicKey publicKey = factory.generatePublic(new SubjectPublicKeyInfo(ED25519, publicKey32));
      PrivateKey privateKey =
          factory.generatePrivate(new PrivateKeyInfo(ED25519, new DEROctetString(seed32)));
      return new KeyPair(publicKey, privateKey);
    } catch (IOException e) {
      throw new IllegalStateException("could not build Ed25519 JCA keys", e);
    }
  }

  /** The DER prefix of an X.509 SubjectPublicKeyInfo holding an Ed25519 key (RFC 8410). */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  /** The raw 32 bytes of an Ed25519 public key object, read from its X.509 encoding. */
  public static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = "X.509".equals(key.getFormat()) ? key.getEncoded() : null;
    if (encoded == null
        || encoded.length != X509_PREFIX.length + PUBLIC_KEY_LENGTH
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key: algorithm " + key.getAlgorithm() + ", format "
              + key.getFormat());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** The SSH wire encoding of an Ed25519 public key: string "ssh-ed25519", string key (RFC 8709). */
  public static byte[] sshPublicKeyBlob(byte[] publicKey32) {
    checkLength(publicKey32);
    byte[] type = SSH_KEY_TYPE.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(4 + type.length + 4 + PUBLIC_KEY_LENGTH)
        .putInt(type.length)
        .put(type)
        .putInt(PUBLIC_KEY_LENGTH)
        .put(publicKey32)
        .array();
  }

  /** The OpenSSH public key line without comment: {@code "ssh-ed25519 AAAAC3Nz..."}. */
  public static String openSshPublicKey(byte[] publicKey32) {
    return SSH_KEY_TYPE + " " + Base64.getEncoder().encodeToString(sshPublicKeyBlob(publicKey32));
  }

  /** {@code "SHA256:"} and the unpadded base64 SHA-256 of the SSH blob, as {@code ssh-keygen -l}. */
  public static String fingerprint(byte[] publicKey32) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sshPublicKeyBlob(publicKey32));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }

  private static void checkLength(byte[] publicKey32) {
    if (publicKey32 == null || publicKey32.length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 public key is " + PUBLIC_KEY_LENGTH + " bytes, not "
              + (publicKey32 == null ? "null" : publicKey32.length));
    }
  }
}
