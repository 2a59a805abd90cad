package org.selfstorage.federation;

import java.util.regex.Pattern;
import org.selfstorage.crypto.Identity;

/**
 * The OpenSSH SHA-256 fingerprint of a partner's Ed25519 host key, as {@code ssh-keygen -lf} prints
 * it: {@code "SHA256:"} and 43 characters of unpadded base64. The client pins a partner's host key by
 * this value; a different key is refused ({@link HostKeyMismatchException}).
 */
public record HostKeyFingerprint(String value) {
  private static final Pattern VALID = Pattern.compile("SHA256:[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]");

  public HostKeyFingerprint {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "not a SHA256 host-key fingerprint (SHA256: and 43 base64 characters): " + value);
    }
  }

  public static HostKeyFingerprint parse(String text) {
    return new HostKeyFingerprint(text);
  }

  /** The fingerprint of a raw 32-byte Ed25519 public key. */
  public static HostKeyFingerprint ofPublicKey(byte[] ed25519PublicKey) {
    return new HostKeyFingerprint(Identity.fingerprintOf(ed25519PublicKey));
  }

  public static HostKeyFingerprint of(Identity identity) {
    return new HostKeyFingerprint(identity.fingerprint());
  }

  @Override
  public String toString() {
    return value;
  }
}
