package org.selfstorage.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.selfstorage.agent.AuditResult;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.RepairResult;
import org.selfstorage.agent.mesh.PartnerLinks;
import org.selfstorage.agent.pack.ShardDamagedException;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.agent.repair.Repairer;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.agent.repo.StoreSet;
import org.selfstorage.catalog.Audits;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.PackId;
import org.selfstorage.catalog.Partner;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardNotFoundException;

/**
 * One audit round of the shards we store. Partners answer random-offset challenges (each used
 * once) over a random sample of the shards they keep for us, and report what their own scrub found
 * rotten. Then shards are read whole and verified: first every suspect (a wrong answer, a rot
 * report), then those read longest ago, within a byte budget that spreads a full read of
 * everything over the verification period. Only a shard that fails its full read counts as
 * damaged: a wrong answer alone is a suspicion, confirmed or cleared by reading the shard. Damaged
 * shards lose their catalog record and are rebuilt at once from the pack's other shards.
 */
public final class Auditor {
  private final Catalog catalog;
  private final Keys keys;
  private final StoreSet stores;
  private final PartnerLinks links;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Repairer.Limits repairLimits;

  public Auditor(Catalog catalog, Keys keys, StoreSet stores, PartnerLinks links, Clock clock, Repairer.Limits repairLimits) {
    this.repairLimits = repairLimits;
    this.catalog = catalog;
    this.keys = keys;
    this.stores = stores;
    this.links = links;
    this.clock = clock;
  }

  private static final class Tally {
    final String store;
    int challenged;
    int wrong;
    int read;
    long bytes;
    int rot;
    /** Shards read whole that failed verification, and shards the store no longer had. */
    int damaged;
    int missing;
    String problem;

    Tally(String store) {
      this.store = store;
    }

    AuditResult.StoreAudit result() {
      return new AuditResult.StoreAudit(store, challenged, wrong, read, bytes, rot, problem);
    }

    /** Every challenge and every whole read counts once toward the partner's trust score. */
    int checks() {
      return challenged + read + missing;
    }

    int failures() {
      return wrong + damaged + missing;
    }
  }

  private record Key(PackId pack, int index, long storeId) {}

  public AuditResult audit(int challengesPerStore, long readBudget, Duration period, Progress.Listener listener) {
    catalog.audits().forgetGone();
    Map<Long, Tally> tallies = new LinkedHashMap<>();
    Map<Long, Partner> partners = new LinkedHashMap<>();
    for (OpenStore s : stores.available()) {
      tallies.put(s.id(), new Tally(s.name()));
    }
    for (var e : stores.unavailable().entrySet()) {
      Tally t = new Tally(e.getKey().name());
      t.problem = e.getValue();
      tallies.put(e.getKey().id(), t);
    }
    Set<Key> suspects = new LinkedHashSet<>();
    for (OpenStore s : stores.available()) {
      if (!s.record().kind().equals("partner")) {
        continue; // a local store is read directly: its full reads below are its audit
      }
      Optional<Partner> partner = catalog.partners().byStore(s.id());
      if (partner.isEmpty()) {
        continue;
      }
      partners.put(s.id(), partner.get());
      Tally tally = tallies.get(s.id());
      try {
        challenge(partner.get(), s, challengesPerStore, tally, suspects);
        rotReports(partner.get(), s, tally, suspects);
      } catch (FederationException e) {
        tally.problem = e.getMessage();
      }
      listener.onProgress(new Progress("audit: challenges", tally.challenged, 0, -1, 0, s.name()));
    }
    List<String> damaged = new ArrayList<>();
    Set<Key> bad = new LinkedHashSet<>();
    Set<Long> failing = new HashSet<>();
    long budget = readBudget;
    for (Key k : suspects) {
      budget -= read(k, tallies, damaged, bad, failing, listener);
    }
    boolean first = true;
    for (Audits.Target t : catalog.audits().dueForReading(10_000)) {
      if (!first && budget <= 0) {
        break;
      }
      Key k = new Key(t.packId(), t.index(), t.storeId());
      if (suspects.contains(k) || failing.contains(t.storeId()) || stores.get(t.storeId()).isEmpty()) {
        continue;
      }
      first = false;
      budget -= read(k, tallies, damaged, bad, failing, listener);
    }
    for (var e : partners.entrySet()) {
      Tally t = tallies.get(e.getKey());
      catalog.partners().recordAudit(e.getValue().id(), clock.instant(), t.checks(), t.failures());
    }
    RepairResult repair = null;
    if (!bad.isEmpty()) {
      Set<PackId> packs = new HashSet<>();
      for (Key k : bad) {
        catalog.shards().remove(k.pack(), k.index(), k.storeId());
        packs.add(k.pack());
      }
      repair = new Repairer(catalog, keys, stores, clock, listener).limitedTo(repairLimits).repair(p -> packs.contains(p.id()));
    }
    long notRead = catalog.audits().notReadSince(clock.instant().minus(period));
    return new AuditResult(tallies.values().stream().map(Tally::result).toList(), damaged, repair, notRead);
  }

  private void challenge(Partner partner, OpenStore s, int n, Tally tally, Set<Key> suspects) {
    List<Audits.Target> targets = catalog.audits().challengeable(s.id(), n);
    if (targets.isEmpty()) {
      return;
    }
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    ArrayNode list = params.putArray("challenges");
    Map<String, byte[]> expected = new LinkedHashMap<>();
    Map<String, Key> keyOf = new LinkedHashMap<>();
    for (Audits.Target t : targets) {
      Optional<byte[]> c = catalog.audits().take(t.packId(), t.index());
      if (c.isEmpty()) {
        continue;
      }
      String name = ShardNames.of(t.packId(), t.index()).value();
      ObjectNode o = list.addObject();
      o.put("name", name);
      o.put("nonce", HexFormat.of().formatHex(c.get(), 0, Challenge.NONCE));
      expected.put(name, Arrays.copyOfRange(c.get(), Challenge.NONCE, Challenge.NONCE + Challenge.ANSWER));
      keyOf.put(name, new Key(t.packId(), t.index(), s.id()));
    }
    JsonNode answers = links.rpc(partner).call("audit", params).path("answers");
    for (var e : expected.entrySet()) {
      tally.challenged++;
      JsonNode a = answers.path(e.getKey());
      byte[] got = null;
      if (a.isTextual()) {
        try {
          got = HexFormat.of().parseHex(a.asText());
        } catch (IllegalArgumentException ignored) {
          // a malformed answer is a wrong one
        }
      }
      if (got == null || !Arrays.equals(got, e.getValue())) {
        tally.wrong++;
        suspects.add(keyOf.get(e.getKey()));
      }
    }
  }

  private void rotReports(Partner partner, OpenStore s, Tally tally, Set<Key> suspects) {
    JsonNode reported = links.rpc(partner).call("rot", null).path("shards");
    Set<Key> recorded = new HashSet<>();
    catalog.shards().onStore(s.id()).forEach(r -> recorded.add(new Key(r.packId(), r.index(), r.storeId())));
    for (JsonNode r : reported) {
      String name = r.path("name").asText();
      ShardNames.Parsed p = ShardName.isValid(name) ? ShardNames.parse(new ShardName(name)) : null;
      Key k = p == null ? null : new Key(p.pack(), p.index(), s.id());
      if (k != null && recorded.contains(k)) {
        tally.rot++;
        suspects.add(k);
      }
    }
  }

  /** Reads one shard whole and verifies it; returns the bytes it cost. */
  private long read(Key k, Map<Long, Tally> tallies, List<String> damaged, Set<Key> bad, Set<Long> failing,
      Progress.Listener listener) {
    OpenStore store = stores.get(k.storeId()).orElse(null);
    if (store == null || failing.contains(k.storeId())) {
      return 0;
    }
    Tally tally = tallies.get(k.storeId());
    String what = "shard " + k.index() + " of pack " + k.pack().shortHex() + " on " + store.name();
    try {
      byte[] shard = store.handle().get(ShardNames.of(k.pack(), k.index()));
      tally.read++;
      tally.bytes += shard.length;
      try {
        ShardFile.verify(shard, k.pack(), k.index(), keys.shardHeader());
        catalog.audits().renew(k.pack(), k.index(), Challenge.fresh(ShardFile.body(shard), random), clock.instant());
      } catch (ShardDamagedException e) {
        tally.damaged++;
        damaged.add(what + ": " + e.getMessage());
        bad.add(k);
      }
      listener.onProgress(new Progress("audit: reading", tally.read, tally.bytes, -1, 0, what));
      return shard.length;
    } catch (ShardNotFoundException e) {
      tally.missing++;
      damaged.add(what + ": missing");
      bad.add(k);
      return 0;
    } catch (FederationException e) {
      tally.problem = e.getMessage();
      failing.add(k.storeId());
      return 0;
    }
  }

  /** The bytes to read whole in one round so that everything is read once per period. */
  public static long readBudget(Catalog catalog, Duration every, Duration period) {
    long total = catalog.audits().storedBytes();
    double share = Math.min(1.0, (double) every.toMillis() / Math.max(1, period.toMillis()));
    return (long) Math.ceil(total * share);
  }
}
