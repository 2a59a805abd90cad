package org.selfstorage.federation;

import java.util.Objects;

/**
 * An invitation code could not be used. {@link #reason()} says which problem it is, and the message
 * says it in words a person can act on (copy the whole code, fix a typo, upgrade, ask for a new one).
 */
public final class InvitationCodeException extends FederationException {
  /** What is wrong with the code; each has its own {@link FederationException#code()}. */
  public enum Reason {
    /** Not a selfstorage invitation code at all: wrong prefix, or characters codes never use. */
    NOT_AN_INVITATION("INVITATION_NOT_RECOGNISED"),
    /** The code stops before the end its own header declares: part of it was not copied. */
    TRUNCATED("INVITATION_TRUNCATED"),
    /** The checksum does not match (a typo, or a changed code), or the content is malformed. */
    GARBLED("INVITATION_GARBLED"),
    /** A well-formed code of a format version this selfstorage does not know. */
    UNSUPPORTED_VERSION("INVITATION_UNSUPPORTED_VERSION"),
    /** A valid code whose expiry time has passed. */
    EXPIRED("INVITATION_EXPIRED");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    /** The stable {@link FederationException#code()} of this reason. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;

  public InvitationCodeException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason").code(), message, null);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
