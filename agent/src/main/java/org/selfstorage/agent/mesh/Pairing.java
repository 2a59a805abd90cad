package org.selfstorage.agent.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.UsageException;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.Invitation;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.RpcException;

/**
 * The joining side of pairing: reach the inviter at an address from the code with its host key
 * pinned to the code's fingerprint (no trust on first use), prove knowledge of the code's secret
 * bound to both keys, check the inviter's proof in return, then record the same agreement it did.
 */
public final class Pairing {
  private final Catalog catalog;
  private final Identity identity;
  private final AgentProfile profile;
  private final PartnerLinks links;
  private final Clock clock;
  private final EventLog events;

  public Pairing(Catalog catalog, Identity identity, AgentProfile profile, PartnerLinks links, Clock clock,
      EventLog events) {
    this.events = events;
    this.catalog = catalog;
    this.identity = identity;
    this.profile = profile;
    this.links = links;
    this.clock = clock;
  }

  public Partner join(Invitation invitation, long quota, String site) {
    invitation.checkNotExpired(clock.instant());
    String inviter = invitation.inviterName();
    if (catalog.partners().byName(inviter).isPresent() || catalog.stores().byName(inviter).isPresent()) {
      throw new UsageException("NAME_TAKEN", "there is already a partner or store called " + inviter
          + "; nothing was sent", "selfstorage partners");
    }
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("invitation", invitation.idHex());
    params.put("name", profile.name());
    ArrayNode a = params.putArray("addresses");
    profile.advertised().forEach(x -> a.add(x.toString()));
    params.put("quota", quota);
    params.put("proof", Base64.getEncoder().encodeToString(invitation.joinProof(identity.publicKey())));
    JsonNode reply = call(invitation, params);
    byte[] inviterKey = decode(reply.path("publicKey").asText());
    byte[] proof = decode(reply.path("proof").asText());
    if (inviterKey.length != Identity.PUBLIC_KEY_LENGTH
        || !Identity.fingerprintOf(inviterKey).equals(invitation.hostKey().value())
        || !Invitation.proofMatches(invitation.acceptProof(identity.publicKey()), proof)) {
      throw new AgentException("PAIRING_FORGED", inviter + " answered without knowing the invitation's secret; "
          + "nothing was recorded", "ask " + inviter + " for a new code, over a channel you trust");
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode n : reply.path("addresses")) {
      try {
        addresses.add(PartnerAddress.parse(n.asText()).toString());
      } catch (IllegalArgumentException e) {
        // an address we cannot use; the ones from the code still work
      }
    }
    if (addresses.isEmpty()) {
      invitation.addresses().forEach(x -> addresses.add(x.toString()));
    }
    long theirQuota = reply.path("quota").asLong(invitation.quotaBytes());
    Partner p = catalog.partners().add(inviter, inviterKey, addresses, site == null ? inviter : site, quota, theirQuota,
        clock.instant());
    catalog.partners().seen(p.id(), clock.instant(), null);
    events.record("PARTNER_JOINED", "info", "joined " + inviter + ": it keeps up to "
        + theirQuota + " bytes for us, we keep up to " + quota + " for it");
    return p;
  }

  /** Tries the code's addresses in order; the first that answers decides. */
  private JsonNode call(Invitation invitation, ObjectNode params) {
    FederationException last = null;
    for (PartnerAddress address : invitation.addresses()) {
      try {
        return links.rpc(invitation.inviterName(), address, invitation.hostKey()).call("pair", params);
      } catch (RpcException e) {
        throw new AgentException(e.code(), invitation.inviterName() + " refused the invitation: " + e.getMessage(),
            e.code().startsWith("INVITATION_") ? "ask " + invitation.inviterName() + " for a new code: selfstorage invite"
                : null, e);
      } catch (FederationException e) {
        if (e.code().equals("HOST_KEY_MISMATCH")) {
          throw new AgentException(e.code(), "the agent at " + address + " is not the one that made this code: "
              + e.getMessage() + "; nothing was sent", "check the address with " + invitation.inviterName(), e);
        }
        last = e;
      } finally {
        links.disconnect(invitation.inviterName());
      }
    }
    throw new AgentException("PARTNER_UNREACHABLE", "cannot reach " + invitation.inviterName() + " at "
        + invitation.addresses() + ": " + (last == null ? "no address" : last.getMessage()),
        "check that its agent runs (selfstorage agent) and that the port is open, then join again", last);
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
