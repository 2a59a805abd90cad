package org.selfstorage.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.selfstorage.agent.mesh.AgentProfile;
import org.selfstorage.agent.mesh.MeshRpc;
import org.selfstorage.agent.mesh.Pairing;
import org.selfstorage.agent.mesh.PartnerDirectory;
import org.selfstorage.agent.mesh.PartnerLinks;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.catalog.Partners;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.Invitation;
import org.selfstorage.federation.InvitationCodeException;
import org.selfstorage.federation.RpcException;

/**
 * The partner use cases of one home: invite, join, list partners, place them on sites, remove
 * them. Obtained from {@link Agent#mesh()}; shares the agent's catalog and connections.
 */
public final class Mesh {
  /** The longest an invitation may stay valid: a code is a secret in transit, so it should not live long. */
  public static final Duration MAX_INVITATION_LIFETIME = Duration.ofDays(30);

  private final Agent agent;
  private final Catalog catalog;
  private final Identity identity;
  private final Clock clock;

  Mesh(Agent agent, Catalog catalog, Identity identity, Clock clock) {
    this.agent = agent;
    this.catalog = catalog;
    this.identity = identity;
    this.clock = clock;
  }

  /** Issues a one-time invitation: whoever joins with it may keep up to {@code quotaBytes} here. */
  public InvitationInfo invite(long quotaBytes, Duration validFor) {
    if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_INVITATION_LIFETIME) > 0) {
      throw new UsageException("EXPIRY_INVALID", "an invitation must expire within 30 days", "selfstorage invite "
          + "--quota 100G --expires 24h");
    }
    if (quotaBytes <= 0) {
      throw new UsageException("QUOTA_INVALID", "the quota must be more than 0", "selfstorage invite --quota 100G");
    }
    AgentProfile profile = agent.profile();
    Instant expires = clock.instant().plus(validFor).truncatedTo(ChronoUnit.SECONDS);
    Invitation inv = Invitation.create(profile.name(), profile.advertised(), HostKeyFingerprint.of(identity),
        quotaBytes, expires, new SecureRandom());
    catalog.invitations().purgeExpired(clock.instant().minus(Duration.ofDays(30)));
    catalog.invitations().add(inv.id(), inv.secret(), quotaBytes, clock.instant(), expires);
    agent.events().record("INVITATION_ISSUED", "info", "invitation " + inv.idHex() + " issued, quota "
        + quotaBytes + ", expires " + expires);
    return new InvitationInfo(inv.toCode(), profile.name(),
        profile.advertised().stream().map(Object::toString).toList(), quotaBytes, expires);
  }

  /** Pairs with the agent that made {@code code}; we keep up to {@code quotaBytes} of its shards. */
  public PartnerInfo join(String code, long quotaBytes, String site) {
    if (quotaBytes <= 0) {
      throw new UsageException("QUOTA_INVALID", "the quota must be more than 0", "selfstorage join CODE --quota 100G");
    }
    if (site != null) {
      Agent.checkName(site, "site");
    }
    Invitation invitation;
    try {
      invitation = Invitation.parse(code);
    } catch (InvitationCodeException e) {
      throw new UsageException(e.code(), e.getMessage(), "ask for the code again, or copy it whole");
    }
    try {
      invitation.checkNotExpired(clock.instant());
    } catch (InvitationCodeException e) {
      throw new UsageException(e.code(), e.getMessage(), "selfstorage invite (run by " + invitation.inviterName() + ")");
    }
    Partner p = new Pairing(catalog, identity, agent.profile(), agent.links(), clock, agent.events()).join(invitation, quotaBytes, site);
    return info(p, null);
  }

  /** Every partner; with {@code contact}, each is asked hello first (in parallel) so the status is current. */
  public List<PartnerInfo> partners(boolean contact) {
    List<Partner> all = catalog.partners().list();
    if (contact && !all.isEmpty()) {
      agent.links().probe(all.stream().filter(p -> p.revokedAt() == null).toList());
      all = catalog.partners().list();
    }
    return all.stream().map(p -> info(p, null)).toList();
  }

  public PartnerInfo partner(String name) {
    return info(known(name), null);
  }

  PartnerInfo info(Partner p, String problem) {
    String site = catalog.stores().byId(p.storeId()).map(s -> s.site()).orElse("?");
    String status = p.revokedAt() != null ? "removing" : p.endedAt() != null ? "left"
        : p.lastError() != null ? (isLost(p) ? "lost" : "unreachable") : p.lastSeen() != null ? "ok" : "unknown";
    long used = usage(agent.directory().hostedDir(p.name()));
    Partners.AuditTally audits = catalog.partners().auditsSince(p.id(), clock.instant().minus(PartnerInfo.TRUST_WINDOW));
    return new PartnerInfo(p.name(), site, status, problem != null ? problem : p.lastError(), p.lastSeen(),
        p.addresses(), Identity.fingerprintOf(p.publicKey()), p.hostsForThem(), used, p.hostsForUs(),
        catalog.shards().bytesOnStore(p.storeId()), p.reportedUsed() == null ? -1 : p.reportedUsed(),
        catalog.shards().countOnStore(p.storeId()), agent.links().diskFree(p.name()),
        agent.links().notWritable(p.name()).orElse(null), agent.links().maxRate(p.name()), audits.trust(),
        audits.checks(), audits.failures());
  }

  /**
   * A partner is lost when it has not answered for longer than {@code repair.grace}, counted from
   * its last successful contact (or from pairing, if it never answered); at once when it ended the
   * agreement from its side, as it keeps nothing for us any more.
   */
  boolean isLost(Partner p) {
    if (p.lastError() == null || p.revokedAt() != null) {
      return false;
    }
    if (p.endedAt() != null) {
      return true;
    }
    Instant since = p.lastSeen() != null ? p.lastSeen() : p.pairedAt();
    return since.plus(agent.grace()).isBefore(clock.instant());
  }

  private static long usage(Path dir) {
    try {
      return MeshRpc.usage(dir);
    } catch (RpcException e) {
      return -1;
    }
  }


  private Partner known(String name) {
    return catalog.partners().byName(name).orElseThrow(() -> new UsageException("PARTNER_UNKNOWN",
        "there is no partner called '" + name + "'", "selfstorage partners"));
  }

  /** Puts a partner on a site: never two shards of a pack on one site (two partners in one house share one). */
  public PartnerInfo setSite(String name, String site) {
    Agent.checkName(site, "site");
    Partner p = known(name);
    catalog.stores().setSite(p.storeId(), site);
    agent.events().record("PARTNER_SITE", "info", name + " is now on site " + site);
    return info(p, null);
  }

  /**
   * Changes how much of a partner's shards we keep. It applies at once, to the partner's open
   * sessions too, and the partner is told (else it learns it at its next hello: the quota is in every
   * hello answer). A quota below what the partner keeps here deletes nothing: its new shards are
   * refused until it keeps less, and its own placement sends them elsewhere.
   */
  public QuotaChange setQuota(String name, long quotaBytes) {
    if (quotaBytes <= 0) {
      throw new UsageException("QUOTA_INVALID", "the quota must be more than 0",
          "selfstorage partners set-quota " + name + " 100G");
    }
    Partner p = known(name);
    if (p.revokedAt() != null) {
      throw new UsageException("PARTNER_REMOVING", name + " is being removed (its key is revoked), so it may store "
          + "nothing here", "selfstorage partners remove " + name);
    }
    catalog.partners().setQuotas(p.id(), quotaBytes, p.hostsForUs());
    Partner changed = known(name);
    agent.quotaChanged(agent.directory().hosted(changed));
    agent.events().record("PARTNER_QUOTA_SET", "info", "we now keep up to " + quotaBytes + " bytes for " + name
        + " (was " + p.hostsForThem() + ")");
    ObjectNode notice = JsonNodeFactory.instance.objectNode();
    notice.put("kind", "quota");
    notice.put("quota", quotaBytes);
    boolean told = agent.links().notify(List.of(changed), notice).isEmpty();
    return new QuotaChange(info(changed, null), p.hostsForThem(), told);
  }

  /**
   * Ends the agreement with a partner: its key is revoked at once, our shards on it are rebuilt on
   * other sites from the remaining shards, then the agreement is deleted and the partner told. When
   * some shards cannot be moved (too few other sites) the partner stays, revoked, unless {@code
   * force}: then those shards are given up (their packs have less redundancy; status shows it).
   */
  public PartnerRemoval remove(String name, boolean force, Progress.Listener listener) {
    Partner p = known(name);
    catalog.partners().revoke(p.id(), clock.instant());
    agent.events().record("PARTNER_REVOKED", "warning", name + "'s key was revoked");
    agent.partnerRevoked(agent.directory().hosted(p));
    int before = (int) catalog.shards().countOnStore(p.storeId());
    Agent.ShardsMoved m;
    try (FileLock lock = agent.lock("partners remove"); StoreSet stores = StoreSet.open(catalog, agent.links())) {
      // a partner that answers still has what it keeps for us: shards a pack needs are never given up
      m = agent.moveShardsOff(p.storeId(), name + " is being removed", stores, listener);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot lock the home: " + e.getMessage(), null);
    }
    int left = m.left();
    List<String> notMoved = m.notMoved();
    if (left > 0 && !force) {
      return new PartnerRemoval(name, before - left, notMoved, false, false);
    }
    if (left > 0 && m.needed() > 0) {
      throw new AgentException("PARTNER_NEEDED", name + " keeps the last shards " + m.needed() + " pack"
          + (m.needed() == 1 ? " needs" : "s need") + " to be restored: removing it, even with --force, would lose "
          + "them; its key stays revoked", "add a store or partner on another site, then selfstorage partners "
          + "remove " + name);
    }
    boolean notified = notifyLeaving(p);
    catalog.inTransaction(() -> {
      catalog.shards().removeAllOnStore(p.storeId());
      catalog.partners().remove(p.id());
      return null;
    });
    agent.links().disconnect(name);
    deleteHosted(agent.directory().hostedDir(name));
    agent.events().record("PARTNER_REMOVED", "warning", name + " removed; " + (before - left)
        + " shards moved to other sites" + (left > 0 ? ", " + left + " given up" : ""));
    return new PartnerRemoval(name, before - left, notMoved, true, notified);
  }

  private boolean notifyLeaving(Partner p) {
    ObjectNode notice = JsonNodeFactory.instance.objectNode();
    notice.put("kind", "leaving");
    return agent.links().notify(List.of(p), notice).isEmpty();
  }

  /** The partner's hosted shards: the agreement is over, so the space is freed. */
  private static void deleteHosted(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // left behind; the agent no longer serves it to anyone
    }
  }

  Map<String, String> probe() {
    return agent.links().probe(catalog.partners().list().stream().filter(p -> p.revokedAt() == null).toList());
  }

}
