package org.selfstorage.agent.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.selfstorage.agent.audit.Challenge;
import org.selfstorage.agent.audit.HostedDiskProbe;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.catalog.Audits;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.CatalogException;
import org.selfstorage.catalog.Invitations;
import org.selfstorage.catalog.Partner;
import org.selfstorage.crypto.Identity;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.Invitation;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.RpcCaller;
import org.selfstorage.federation.RpcException;
import org.selfstorage.federation.RpcHandler;
import org.selfstorage.federation.ShardName;

/**
 * What partners may ask this agent, and what a key with no agreement may ask (only {@code pair}).
 * The methods and their fields are listed in docs/federation.md ("RPC methods").
 */
public final class MeshRpc implements RpcHandler {
  /** Bytes in front of a shard body (header and its tag): what audit checksums skip. */
  private final int shardHeaderBytes;
  private final Catalog catalog;
  private final Identity identity;
  private final PartnerDirectory directory;
  private final AgentProfile profile;
  private final Clock clock;
  private final EventLog events;
  private final Consumer<String> log;
  /** The server's: set once it runs (it is started with this handler, so it cannot be given here). */
  private volatile Consumer<HostedPartner> epochRaised = p -> {};

  public MeshRpc(Catalog catalog, Identity identity, PartnerDirectory directory, AgentProfile profile, Clock clock,
      int shardHeaderBytes, Consumer<String> log, EventLog events) {
    this.events = events;
    this.catalog = catalog;
    this.identity = identity;
    this.directory = directory;
    this.profile = profile;
    this.clock = clock;
    this.shardHeaderBytes = shardHeaderBytes;
    this.log = log;
  }

  /** Called with the partner's new agreement when a call shows it was recovered on another machine. */
  public void whenEpochRaised(Consumer<HostedPartner> hook) {
    this.epochRaised = hook;
  }

  @Override
  public JsonNode handle(RpcCaller caller, String method, JsonNode params) {
    if (caller.partner().isEmpty()) {
      if (!method.equals("pair")) {
        throw new RpcException("NOT_PAIRED", "this agent has no agreement with your key");
      }
      return pair(caller, params);
    }
    Partner partner = catalog.partners().byPublicKey(caller.publicKey())
        .orElseThrow(() -> new RpcException("NOT_PAIRED", "this agent has no agreement with your key"));
    // A call from the partner says nothing about whether we can reach it (its address may be
    // stale, a firewall may let only it through): health and repair follow our own contacts only.
    HostedPartner hosted = caller.partner().get();
    return switch (method) {
      case "hello" -> hello(partner, hosted, params);
      case "list" -> list(hosted, params);
      case "audit" -> audit(hosted, params);
      case "rot" -> rot(hosted);
      case "notice" -> notice(partner, params);
      case "pair" -> throw new RpcException("ALREADY_PAIRED", "your key is already a partner of this agent");
      default -> throw new RpcException("UNKNOWN_METHOD", "this agent does not answer '" + method + "'");
    };
  }

  // ---- pairing

  private JsonNode pair(RpcCaller caller, JsonNode params) {
    byte[] id = hex(params, "invitation");
    String name = text(params, "name");
    List<String> addresses = addresses(params);
    long quota = number(params, "quota");
    byte[] proof = base64(params, "proof");
    Instant now = clock.instant();
    Invitations.Issued issued = catalog.invitations().byId(id).orElseThrow(() -> refuse(caller,
        "INVITATION_UNKNOWN", "this agent never issued that invitation (a forged code, or one from another agent)"));
    if (issued.usedAt() != null) {
      throw refuse(caller, "INVITATION_USED", "that invitation was used already (by " + issued.usedBy()
          + "); ask for a new one: selfstorage invite");
    }
    if (!issued.expiresAt().isAfter(now)) {
      throw refuse(caller, "INVITATION_EXPIRED", "that invitation expired at " + issued.expiresAt()
          + "; ask for a new one: selfstorage invite");
    }
    Invitation invitation = profile.invitation(identity, issued);
    if (!Invitation.proofMatches(invitation.joinProof(caller.publicKey()), proof)) {
      throw refuse(caller, "INVITATION_FORGED", "the proof does not match the invitation's secret");
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") || name.equals(profile.name())) {
      throw refuse(caller, "NAME_INVALID", "'" + name + "' cannot be a partner name here");
    }
    if (catalog.partners().byName(name).isPresent() || catalog.stores().byName(name).isPresent()) {
      throw refuse(caller, "NAME_TAKEN", "this agent already has a partner or store called " + name
          + "; rename yours with: selfstorage config set agent.name OTHER_NAME");
    }
    if (catalog.partners().byPublicKey(caller.publicKey()).isPresent()) {
      throw refuse(caller, "ALREADY_PAIRED", "your key is already a partner of this agent");
    }
    try {
      catalog.inTransaction(() -> {
        if (!catalog.invitations().markUsed(id, name, now)) {
          throw new RpcException("INVITATION_USED", "that invitation was used already; ask for a new one");
        }
        catalog.partners().add(name, caller.publicKey(), addresses, name, issued.quota(), quota, now);
        return null;
      });
    } catch (CatalogException e) {
      throw new RpcException("PAIRING_FAILED", "the invitation could not be recorded; try again");
    }
    events.record("PARTNER_JOINED", "info", name + " joined with invitation " + HexFormat.of().formatHex(id)
        + ": we keep up to " + issued.quota() + " bytes for it, it keeps up to " + quota + " for us");
    log.accept("partner " + name + " joined (" + Identity.fingerprintOf(caller.publicKey()) + ")");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("name", profile.name());
    ArrayNode a = out.putArray("addresses");
    profile.advertised().forEach(x -> a.add(x.toString()));
    out.put("quota", issued.quota());
    out.put("publicKey", Base64.getEncoder().encodeToString(identity.publicKey()));
    out.put("proof", Base64.getEncoder().encodeToString(invitation.acceptProof(caller.publicKey())));
    return out;
  }

  private RpcException refuse(RpcCaller caller, String code, String message) {
    events.record("PAIRING_REFUSED", "warning", "pairing from " + caller.remote() + " refused: "
        + code);
    log.accept("pairing from " + caller.remote() + " refused: " + code);
    return new RpcException(code, message);
  }

  // ---- partner calls

  private JsonNode hello(Partner partner, HostedPartner hosted, JsonNode params) {
    long declared = params.path("epoch").asLong(0);
    long known = partner.epoch();
    if (declared > known && catalog.partners().raiseEpoch(partner.id(), declared)) {
      known = declared;
      events.record("PARTNER_RECOVERED", "warning", partner.name() + " was recovered on a new "
          + "machine (epoch " + declared + "); sessions from its old machine may now only read");
      log.accept("partner " + partner.name() + " recovered elsewhere: epoch " + declared);
      // sessions its old machine opened before now were not fenced at their login: close them
      epochRaised.accept(new HostedPartner(hosted.name(), hosted.root(), partner.hostsForThem(), declared));
    }
    if (params.has("addresses")) {
      List<String> addresses = addresses(params);
      if (!addresses.equals(partner.addresses())) {
        catalog.partners().setAddresses(partner.id(), addresses);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("name", profile.name());
    out.put("time", clock.instant().toString());
    out.put("quota", partner.hostsForThem()); // the catalog's: the session's is from its login, before any set-quota
    out.put("used", usage(hosted.root()));
    out.put("free", usableSpace(hosted.root()));
    // the agent's last disk check: the partner then places new shards elsewhere instead of failing on us
    catalog.settings().get(HostedDiskProbe.SETTING).ifPresent(why -> out.put("notWritable", why));
    out.put("theyHostForYou", partner.hostsForThem());
    // what this host lets each partner send: it keeps to it, so the host's own brake never looks like a stall
    out.put("maxRate", ConfigKey.parseRate(ConfigKey.HOSTING_MAX_RATE.valueIn(catalog)));
    out.put("yourEpoch", Math.max(known, declared));
    return out;
  }

  /**
   * Bytes free for new files on the disk that holds a hosted directory (the nearest directory that
   * exists, as a partner's own appears with its first shard), or -1 when it cannot be told.
   */
  static long usableSpace(Path root) {
    for (Path p = root; p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) {
        try {
          return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Bytes of regular files under a hosted directory, links not followed. */
  public static long usage(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RpcException("HOST_IO", "cannot measure the hosted directory");
    }
  }

  private JsonNode list(HostedPartner hosted, JsonNode params) {
    String after = params.path("after").asText("");
    int limit = Math.min(Math.max(params.path("limit").asInt(10_000), 1), 10_000);
    Path shards = hosted.root().resolve("shards");
    List<String[]> found = new ArrayList<>();
    if (Files.isDirectory(shards, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> files = Files.walk(shards, 2)) {
        files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            .map(p -> p.getFileName().toString()).filter(n -> ShardName.isValid(n) && n.compareTo(after) > 0)
            .sorted().limit(limit).forEach(n -> found.add(new String[] {n}));
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new RpcException("HOST_IO", "cannot list the hosted directory");
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode names = out.putArray("shards");
    for (String[] n : found) {
      ObjectNode e = names.addObject();
      e.put("name", n[0]);
      e.put("size", size(shardPath(hosted, n[0])));
    }
    out.put("complete", found.size() < limit);
    return out;
  }

  /**
   * Answers random-offset challenges over the shards we keep for the caller: each names a shard
   * and a fresh nonce, and the answer needs the real bytes at offsets the nonce picks (see
   * {@link Challenge}). A missing shard is answered with null.
   */
  private JsonNode audit(HostedPartner hosted, JsonNode params) {
    JsonNode challenges = params.path("challenges");
    if (!challenges.isArray() || challenges.size() > 1000) {
      throw new RpcException("BAD_REQUEST", "challenges must be a list of at most 1000 entries");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode answers = out.putObject("answers");
    for (JsonNode c : challenges) {
      String name = c.path("name").asText();
      if (!ShardName.isValid(name)) {
        throw new RpcException("BAD_REQUEST", "not a shard name: " + name);
      }
      byte[] nonce;
      try {
        nonce = HexFormat.of().parseHex(c.path("nonce").asText());
      } catch (IllegalArgumentException e) {
        nonce = new byte[0];
      }
      if (nonce.length != Challenge.NONCE) {
        throw new RpcException("BAD_REQUEST", "a nonce is " + Challenge.NONCE + " bytes in hex");
      }
      Path file = shardPath(hosted, name);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        answers.putNull(name);
        continue;
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        answers.put(name, HexFormat.of().formatHex(Challenge.answer(nonce, ch, shardHeaderBytes)));
      } catch (IOException e) {
        answers.putNull(name);
      }
    }
    return out;
  }

  /**
   * The shards kept for the caller that this agent's scrub found rotten, each checked again first:
   * one the owner has since rewritten, or deleted, is no longer reported.
   */
  private JsonNode rot(HostedPartner hosted) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("shards");
    for (Audits.Rot r : catalog.audits().rotOf(hosted.name())) {
      String problem;
      try {
        Path file = shardPath(hosted, r.name());
        problem = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? ShardFile.scrubProblem(file) : null;
      } catch (IOException e) {
        problem = "cannot be read: " + e.getMessage();
      }
      if (problem == null) {
        catalog.audits().removeRot(hosted.name(), r.name());
        continue;
      }
      ObjectNode e = list.addObject();
      e.put("name", r.name());
      e.put("problem", problem);
      e.put("found", r.foundAt().toString());
    }
    return out;
  }

  private static Path shardPath(HostedPartner hosted, String name) {
    return hosted.root().resolve("shards").resolve(name.substring(0, 2)).resolve(name);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private JsonNode notice(Partner partner, JsonNode params) {
    String kind = text(params, "kind");
    switch (kind) {
      // the running agent's condition watch tells it (PARTNER_LEFT), as when a hello finds out
      case "leaving" -> catalog.partners().ended(partner.id(), clock.instant(), "it told us it ended the agreement");
      case "quota" -> {
        long theirs = number(params, "quota");
        catalog.partners().setQuotas(partner.id(), partner.hostsForThem(), theirs);
        long stored = catalog.shards().bytesOnStore(partner.storeId());
        if (stored > theirs) {
          events.record("PARTNER_QUOTA", "warning", partner.name() + " now keeps up to " + theirs
              + " bytes for us, less than the " + stored + " it keeps already: nothing is lost, but our new shards "
              + "go to other sites", "selfstorage status");
        } else {
          events.record("PARTNER_QUOTA", "info", partner.name() + " now keeps up to " + theirs + " bytes for us");
        }
      }
      default -> throw new RpcException("BAD_REQUEST", "unknown notice '" + kind + "'");
    }
    return JsonNodeFactory.instance.objectNode();
  }

  // ---- parameters

  private static String text(JsonNode params, String field) {
    JsonNode n = params.get(field);
    if (n == null || !n.isTextual() || n.asText().length() > 1024) {
      throw new RpcException("BAD_REQUEST", "missing or invalid field '" + field + "'");
    }
    return n.asText();
  }

  private static long number(JsonNode params, String field) {
    JsonNode n = params.get(field);
    if (n == null || !n.canConvertToLong() || n.asLong() < 0) {
      throw new RpcException("BAD_REQUEST", "missing or invalid field '" + field + "'");
    }
    return n.asLong();
  }

  private static byte[] hex(JsonNode params, String field) {
    try {
      return HexFormat.of().parseHex(text(params, field));
    } catch (IllegalArgumentException e) {
      throw new RpcException("BAD_REQUEST", "field '" + field + "' is not hex");
    }
  }

  private static byte[] base64(JsonNode params, String field) {
    try {
      return Base64.getDecoder().decode(text(params, field));
    } catch (IllegalArgumentException e) {
      throw new RpcException("BAD_REQUEST", "field '" + field + "' is not base64");
    }
  }

  private static List<String> addresses(JsonNode params) {
    JsonNode n = params.get("addresses");
    if (n == null || !n.isArray() || n.isEmpty() || n.size() > 4) {
      throw new RpcException("BAD_REQUEST", "addresses must be a list of 1 to 4 host:port");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode a : n) {
      try {
        out.add(PartnerAddress.parse(a.asText()).toString());
      } catch (IllegalArgumentException e) {
        throw new RpcException("BAD_REQUEST", "not an address: " + a.asText());
      }
    }
    return out;
  }
}
