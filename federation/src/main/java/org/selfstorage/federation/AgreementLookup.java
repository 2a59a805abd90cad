package org.selfstorage.federation;

import java.util.Optional;

/**
 * Who may log in to this agent's SSH server. The agent implements it over its catalog of agreements;
 * the server asks it on every login attempt, so revoking an agreement takes effect for the next login.
 */
@FunctionalInterface
public interface AgreementLookup {
  /**
   * The partner whose agreement names this Ed25519 public key (32 raw bytes), or empty if there is
   * none (the login is refused).
   */
  Optional<HostedPartner> partnerFor(byte[] ed25519PublicKey);
}
