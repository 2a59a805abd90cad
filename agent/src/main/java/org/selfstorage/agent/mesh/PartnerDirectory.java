package org.selfstorage.agent.mesh;

import java.nio.file.Path;
import java.util.Optional;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.federation.AgreementLookup;
import org.selfstorage.federation.HostedPartner;

/**
 * Who may log in to this agent, straight from the catalog on every login: an agreement removed by
 * any process (the agent itself or a command acting directly) refuses the next login.
 */
public final class PartnerDirectory implements AgreementLookup {
  private final Catalog catalog;
  private final Path hostedRoot;

  public PartnerDirectory(Catalog catalog, Path hostedRoot) {
    this.catalog = catalog;
    this.hostedRoot = hostedRoot.toAbsolutePath().normalize();
  }

  @Override
  public Optional<HostedPartner> partnerFor(byte[] ed25519PublicKey) {
    return catalog.partners().byPublicKey(ed25519PublicKey).filter(p -> p.revokedAt() == null).map(this::hosted);
  }

  public HostedPartner hosted(Partner p) {
    return new HostedPartner(p.name(), hostedDir(p.name()), p.hostsForThem(), p.epoch());
  }

  /** Where a partner's shards live on this host: one directory per partner name. */
  public Path hostedDir(String partnerName) {
    return hostedRoot.resolve(partnerName);
  }
}
