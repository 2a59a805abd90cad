package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jcajce.interfaces.EdDSAPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class IdentityTest {

  private static final byte[] MESSAGE = "exchange hash".getBytes(StandardCharsets.US_ASCII);

  private static Identity golden() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      return Identity.derive(secret);
    }
  }

  @Test
  void derive_fromARecoveredSecret_givesTheSameIdentity() {
    try (MasterSecret secret = MasterSecret.generate(new SecureRandom());
        MasterSecret recovered =
            MasterSecret.fromRecoveryCode(RecoveryCode.parse(secret.recoveryCode().format()))) {
      Identity a = Identity.derive(secret);
      Identity b = Identity.derive(recovered);
      assertArrayEquals(a.publicKey(), b.publicKey());
      assertEquals(a.fingerprint(), b.fingerprint());
      assertArrayEquals(a.sign(MESSAGE), b.sign(MESSAGE));
    }
  }

  @Test
  void publicKey_isACopy() {
    Identity identity = golden();
    identity.publicKey()[0] ^= 1;
    assertEquals(
        "91080f143b1a7654345b753a129bb3f5f2b2cb8b5a5ee2c70819e94709809359",
        HexFormat.of().formatHex(identity.publicKey()));
  }

  @Test
  void sign_thenVerify_accepts() {
    Identity identity = golden();
    byte[] signature = identity.sign(MESSAGE);
    assertEquals(Identity.SIGNATURE_LENGTH, signature.length);
    assertTrue(Identity.verify(identity.publicKey(), MESSAGE, signature));
    assertTrue(Identity.verify(identity.publicKey(), new byte[0], identity.sign(new byte[0])));
  }

  @Test
  void verify_refusesAnyChange() {
    Identity identity = golden();
    byte[] signature = identity.sign(MESSAGE);
    for (int bit = 0; bit < signature.length * 8; bit++) {
      byte[] damaged = signature.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(Identity.verify(identity.publicKey(), MESSAGE, damaged), "bit " + bit);
    }
    byte[] otherMessage = MESSAGE.clone();
    otherMessage[0] ^= 1;
    assertFalse(Identity.verify(identity.publicKey(), otherMessage, signature));
    Identity other;
    try (MasterSecret secret = MasterSecret.generate(new SecureRandom())) {
      other = Identity.derive(secret);
    }
    assertFalse(Identity.verify(other.publicKey(), MESSAGE, signature));
  }

  @Test
  void verify_malformedInput_isFalse() {
    Identity identity = golden();
    byte[] signature = identity.sign(MESSAGE);
    assertFalse(Identity.verify(new byte[31], MESSAGE, signature));
    assertFalse(Identity.verify(null, MESSAGE, signature));
    assertFalse(Identity.verify(identity.publicKey(), MESSAGE, Arrays.copyOf(signature, 63)));
    assertFalse(Identity.verify(identity.publicKey(), MESSAGE, Arrays.copyOf(signature, 65)));
    assertFalse(Identity.verify(identity.publicKey(), MESSAGE, null));
    byte[] notAPoint = new byte[32];
    Arrays.fill(notAPoint, (byte) 0xff);
    assertFalse(Identity.verify(notAPoint, MESSAGE, signature));
  }

  @Test
  void fingerprintOf_wrongLength_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Identity.fingerprintOf(new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> Identity.fingerprintOf(null));
  }

  @Test
  void openSshPublicKey_encodesTheSshWireBlob() {
    Identity identity = golden();
    String[] parts = identity.openSshPublicKey().split(" ");
    assertEquals("ssh-ed25519", parts[0]);
    byte[] blob = Base64.getDecoder().decode(parts[1]);
    assertEquals(51, blob.length);
    assertEquals("0000000b7373682d65643235353139", HexFormat.of().formatHex(blob, 0, 15));
    assertEquals("00000020", HexFormat.of().formatHex(blob, 15, 19));
    assertArrayEquals(identity.publicKey(), Arrays.copyOfRange(blob, 19, 51));
  }

  /**
   * MINA SSHD 2.20 (without net.i2p eddsa on the class path) handles ssh-ed25519 keys through its
   * Bouncy Castle support: it takes keys implementing Bouncy Castle's EdDSAPublicKey /
   * EdDSAPrivateKey, names them by getAlgorithm() ("Ed25519" maps to ssh-ed25519), reads the raw
   * key with getPointEncoding(), and signs with the JCA "Ed25519" Signature of the Bouncy Castle
   * provider. An ssh-ed25519 signature is a plain RFC 8032 Ed25519 signature.
   */
  @Test
  void keyPair_isWhatMinaSshdsBouncyCastleSupportUses() throws Exception {
    Identity identity = golden();
    KeyPair pair = identity.keyPair();
    assertTrue(pair.getPublic() instanceof EdDSAPublicKey, pair.getPublic().getClass().getName());
    assertTrue(pair.getPrivate() instanceof EdDSAPrivateKey, pair.getPrivate().getClass().getName());
    assertEquals("Ed25519", pair.getPublic().getAlgorithm());
    assertEquals("Ed25519", pair.getPrivate().getAlgorithm());
    assertArrayEquals(identity.publicKey(), ((EdDSAPublicKey) pair.getPublic()).getPointEncoding());
    assertArrayEquals(
        identity.publicKey(),
        ((EdDSAPrivateKey) pair.getPrivate()).getPublicKey().getPointEncoding());

    // A private provider instance: nothing is registered globally.
    BouncyCastleProvider bc = new BouncyCastleProvider();
    Signature signer = Signature.getInstance("Ed25519", bc);
    signer.initSign(pair.getPrivate());
    signer.update(MESSAGE);
    byte[] jcaSignature = signer.sign();
    assertArrayEquals(identity.sign(MESSAGE), jcaSignature);

    Signature verifier = Signature.getInstance("Ed25519", bc);
    verifier.initVerify(pair.getPublic());
    verifier.update(MESSAGE);
    assertTrue(verifier.verify(jcaSignature));
  }

  @Test
  void keyPair_encodings_areStandard_andWorkWithTheJdksEd25519() throws Exception {
    Identity identity = golden();
    KeyPair pair = identity.keyPair();
    assertEquals("X.509", pair.getPublic().getFormat());
    assertEquals("PKCS#8", pair.getPrivate().getFormat());
    assertEquals(
        "302a300506032b6570032100" + HexFormat.of().formatHex(identity.publicKey()),
        HexFormat.of().formatHex(pair.getPublic().getEncoded()));

    KeyFactory jdk = KeyFactory.getInstance("Ed25519"); // SunEC
    PublicKey jdkPublic = jdk.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
    PrivateKey jdkPrivate =
        jdk.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(jdkPrivate);
    signer.update(MESSAGE);
    assertArrayEquals(identity.sign(MESSAGE), signer.sign());
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(jdkPublic);
    verifier.update(MESSAGE);
    assertTrue(verifier.verify(identity.sign(MESSAGE)));
  }

  @Test
  void publicKeyOf_readsBouncyCastleAndJdkKeyObjects() throws Exception {
    Identity identity = golden();
    assertArrayEquals(identity.publicKey(), Identity.publicKeyOf(identity.keyPair().getPublic()));
    PublicKey jdkPublic =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(identity.keyPair().getPublic().getEncoded()));
    assertArrayEquals(identity.publicKey(), Identity.publicKeyOf(jdkPublic));
    assertEquals(
        identity.fingerprint(), Identity.fingerprintOf(Identity.publicKeyOf(jdkPublic)));

    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    PublicKey rsaKey = rsa.generateKeyPair().getPublic();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Identity.publicKeyOf(rsaKey));
    assertEquals("not an Ed25519 public key: algorithm RSA, format X.509", e.getMessage());
  }

  @Test
  void toString_showsOnlyTheFingerprint() {
    Identity identity = golden();
    assertEquals("Identity[SHA256:oOty6LzRxoQfe9W58QheRovWGaGOFedxqxqfDS8DiEs]", identity.toString());
  }
}
