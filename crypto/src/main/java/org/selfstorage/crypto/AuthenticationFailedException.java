package org.selfstorage.crypto;

/**
 * A ciphertext did not authenticate: it was made with another key, is bound to other associated
 * data, or was damaged or tampered with. Nothing of the plaintext is released.
 */
public final class AuthenticationFailedException extends CryptoException {

  public static final String CODE = "AUTHENTICATION_FAILED";

  public AuthenticationFailedException(String message) {
    super(message);
  }

  public AuthenticationFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return CODE;
  }
}
