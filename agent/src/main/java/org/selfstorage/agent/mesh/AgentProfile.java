package org.selfstorage.agent.mesh;

import java.util.List;
import org.selfstorage.catalog.Invitations;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.Invitation;
import org.selfstorage.federation.PartnerAddress;

/**
 * How this agent presents itself to partners: its name, where its server listens, and the
 * addresses it gives out (the listen address when none are set).
 */
public record AgentProfile(String name, PartnerAddress listen, List<PartnerAddress> advertised) {
  public AgentProfile {
    advertised = List.copyOf(advertised);
  }

  /** The invitation an issued record stands for, as its code carried it. */
  public Invitation invitation(Identity identity, Invitations.Issued issued) {
    return new Invitation(name, advertised, HostKeyFingerprint.of(identity), issued.id(), issued.secret(),
        issued.quota(), issued.expiresAt());
  }
}
