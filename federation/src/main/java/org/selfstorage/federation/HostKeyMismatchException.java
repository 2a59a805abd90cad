package org.selfstorage.federation;

/**
 * A partner presented a host key other than the pinned one. Nothing was sent to it. This is either a
 * reinstalled partner that lost its identity or someone in the middle; only the partner can tell.
 */
public final class HostKeyMismatchException extends FederationException {
  private final String partner;
  private final String presented;
  private final HostKeyFingerprint pinned;

  public HostKeyMismatchException(String partner, String presented, HostKeyFingerprint pinned) {
    super("HOST_KEY_MISMATCH", "partner " + partner + " presented host key " + presented + ", pinned " + pinned
        + "; not connecting. Verify the fingerprint with the partner out of band", null);
    this.partner = partner;
    this.presented = presented;
    this.pinned = pinned;
  }

  public String partner() {
    return partner;
  }

  /** The fingerprint of the key the partner presented ({@code SHA256:...}). */
  public String presented() {
    return presented;
  }

  public HostKeyFingerprint pinned() {
    return pinned;
  }
}
