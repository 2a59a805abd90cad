package org.selfstorage.agent.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.crypto.Identity;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.PartnerAddress;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.RpcClient;
import org.selfstorage.federation.RpcException;
import org.selfstorage.federation.ShardStore;

/**
 * This agent's connections to its partners, opened on first use and shared by every store and
 * call of one command (or of the running agent): one SSH session per partner, its host key pinned
 * to the key recorded at pairing.
 */
public final class PartnerLinks implements AutoCloseable {
  private final Catalog catalog;
  private final Identity identity;
  private final ClientSettings settings;
  private final AgentProfile profile;
  private final Clock clock;
  private PartnerConnections connections;
  private final Map<String, java.time.Duration> skews = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> diskFree = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> notWritable = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> maxRates = new java.util.concurrent.ConcurrentHashMap<>();

  public PartnerLinks(Catalog catalog, Identity identity, ClientSettings settings, AgentProfile profile, Clock clock) {
    this.catalog = catalog;
    this.identity = identity;
    this.settings = settings;
    this.profile = profile;
    this.clock = clock;
  }

  private synchronized PartnerConnections connections() {
    if (connections == null) {
      connections = Federation.partnerConnections(identity, settings);
    }
    return connections;
  }

  /**
   * The partner's shard store; uploads through it keep to {@code upload.max-rate} as the catalog has
   * it now, and to the rate the partner takes from us as it said at its last hello.
   */
  public ShardStore shardStore(Partner p) {
    PartnerConnections c = connections();
    c.limitUploads(ConfigKey.parseRate(ConfigKey.UPLOAD_MAX_RATE.valueIn(catalog)));
    c.limitUploads(p.name(), maxRate(p.name()));
    return c.shardStore(p.name(), address(p), pin(p));
  }

  public RpcClient rpc(Partner p) {
    return connections().rpc(p.name(), address(p), pin(p));
  }

  /** A call to an agent that is not a partner yet (pairing), pinned to the fingerprint from its code. */
  public RpcClient rpc(String name, PartnerAddress address, HostKeyFingerprint pin) {
    return connections().rpc(name, address, pin);
  }

  public void disconnect(String partner) {
    if (connections != null) {
      connections.disconnect(partner);
    }
  }

  private static PartnerAddress address(Partner p) {
    return PartnerAddress.parse(p.addresses().get(0));
  }

  private static HostKeyFingerprint pin(Partner p) {
    return HostKeyFingerprint.ofPublicKey(p.publicKey());
  }

  /**
   * What a partner said at hello: its name, its quota for us and our usage there, its disk's free
   * bytes (-1: not told), why its disk takes no new shards (null: it does), and how fast it takes
   * shards from us (bytes per second, 0: no limit).
   */
  public record Hello(String name, long quotaForUs, long usedByUs, long diskFree, String notWritable, long maxRate) {}

  /**
   * Says hello to each partner at once (in parallel) and records who answered and who did not;
   * returns the failures by partner name. Bounded by the connect and stall timeouts.
   */
  public Map<String, String> probe(List<Partner> partners) {
    Map<String, String> messages = new LinkedHashMap<>();
    probeTyped(partners).forEach((name, e) -> messages.put(name, e.getMessage()));
    return messages;
  }

  /** As {@link #probe}, with each failure as the error it was (its code tells FENCED from the rest). */
  public Map<String, FederationException> probeTyped(List<Partner> partners) {
    Map<String, CompletableFuture<Hello>> calls = new LinkedHashMap<>();
    // a thread per partner: the common pool has one thread on a 2-core machine, and probes wait on the network
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.max(1, Math.min(partners.size(), 16)), r -> {
          Thread t = new Thread(r, "selfstorage-probe");
          t.setDaemon(true);
          return t;
        });
    for (Partner p : partners) {
      calls.put(p.name(), CompletableFuture.supplyAsync(() -> hello(p), pool));
    }
    pool.shutdown();
    Map<String, FederationException> failures = new LinkedHashMap<>();
    calls.forEach((name, f) -> {
      try {
        f.join();
      } catch (java.util.concurrent.CompletionException e) {
        failures.put(name, e.getCause() instanceof FederationException fe ? fe
            : new FederationException("PARTNER_FAILED", String.valueOf(e.getCause()), e.getCause()));
      }
    });
    return failures;
  }

  /** One hello: tells the partner our addresses, learns what it keeps for us; records the outcome. */
  public Hello hello(Partner p) {
    try {
      ObjectNode params = JsonNodeFactory.instance.objectNode();
      params.put("name", profile.name());
      params.put("epoch", settings.epoch());
      ArrayNode a = params.putArray("addresses");
      profile.advertised().forEach(x -> a.add(x.toString()));
      JsonNode r;
      try {
        r = rpc(p).call("hello", params);
      } catch (PartnerUnreachableException stale) {
        // the shared session may have died with the partner's last run; one fresh try decides
        disconnect(p.name());
        r = rpc(p).call("hello", params);
      }
      long theirs = r.path("yourEpoch").asLong(0);
      if (theirs > settings.epoch()) {
        throw new RpcException("FENCED", "this home was recovered on another machine since (epoch " + theirs
            + ", this machine has " + settings.epoch() + "): " + p.name() + " lets this machine read but not change "
            + "anything");
      }
      Hello h = new Hello(r.path("name").asText(), r.path("quota").asLong(), r.path("used").asLong(),
          r.path("free").asLong(-1), r.hasNonNull("notWritable") ? r.get("notWritable").asText() : null,
          Math.max(0, r.path("maxRate").asLong(0)));
      diskFree.put(p.name(), h.diskFree());
      maxRates.put(p.name(), h.maxRate());
      if (h.notWritable() != null) {
        notWritable.put(p.name(), h.notWritable());
      } else {
        notWritable.remove(p.name());
      }
      try {
        skews.put(p.name(), java.time.Duration.between(clock.instant(), java.time.Instant.parse(r.path("time").asText())));
      } catch (java.time.format.DateTimeParseException e) {
        skews.put(p.name(), java.time.temporal.ChronoUnit.FOREVER.getDuration());
      }
      catalog.partners().seen(p.id(), clock.instant(), h.usedByUs());
      if (h.quotaForUs() != p.hostsForUs()) {
        catalog.partners().setQuotas(p.id(), p.hostsForThem(), h.quotaForUs());
      }
      return h;
    } catch (RpcException e) {
      if (e.code().equals("NOT_PAIRED")) {
        // it answers, as to a stranger: it removed us, or its home was recovered from a copy older than our pairing
        catalog.partners().ended(p.id(), clock.instant(), "it answers but has no agreement with our key any more");
      } else {
        catalog.partners().failed(p.id(), e.getMessage());
      }
      throw e;
    } catch (FederationException e) {
      catalog.partners().failed(p.id(), e.getMessage());
      throw e;
    }
  }

  /**
   * Bytes free on the disk that keeps a partner's hosted shards, as it said at the last hello since
   * this process started; -1 when unknown (no hello yet, or an older version).
   */
  public long diskFree(String partner) {
    return diskFree.getOrDefault(partner, -1L);
  }

  /**
   * How fast a partner takes shards from us (its {@code hosting.max-rate}), as it said at its last
   * hello since this process started; 0 when it sets no limit or has not said.
   */
  public long maxRate(String partner) {
    return maxRates.getOrDefault(partner, 0L);
  }

  /**
   * Why a partner's disk takes no new shards, as it said at its last hello since this process
   * started; empty when it takes them (or has not said otherwise).
   */
  public Optional<String> notWritable(String partner) {
    return Optional.ofNullable(notWritable.get(partner));
  }

  /** Each partner's clock minus ours at its last hello (positive: it is ahead), for those that answered. */
  public Map<String, java.time.Duration> skews() {
    return Map.copyOf(skews);
  }

  /** Partners whose clock differed from ours by more than {@code limit} at their last hello. */
  public java.util.Set<String> skewedBeyond(java.time.Duration limit) {
    java.util.Set<String> out = new java.util.HashSet<>();
    skews.forEach((name, d) -> {
      if (d.abs().compareTo(limit) > 0) {
        out.add(name);
      }
    });
    return out;
  }

  /** Tells every partner in the list something, best effort; returns the names that did not hear it. */
  public List<String> notify(List<Partner> partners, ObjectNode notice) {
    List<String> missed = new ArrayList<>();
    for (Partner p : partners) {
      try {
        rpc(p).call("notice", notice);
      } catch (FederationException e) {
        missed.add(p.name());
      }
    }
    return missed;
  }

  @Override
  public synchronized void close() {
    if (connections != null) {
      connections.close();
      connections = null;
    }
  }
}
