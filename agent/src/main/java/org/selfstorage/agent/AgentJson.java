package org.selfstorage.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON shapes of the agent's results, shared by the CLI's {@code --json} and the web UI's API
 * so that a script gets the same document from either: instants as ISO-8601 strings, durations as
 * seconds, records by their component names.
 */
public final class AgentJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule()
          .addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(v.toString());
            }
          })
          .addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration v, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeNumber(v.toMillis() / 1000.0);
            }
          }));

  /** Events that say how the last repair or self-healing went. */
  private static final Set<String> REPAIR_EVENTS = Set.of("HEALED", "HEAL_INCOMPLETE", "REPAIR_DONE", "AUDIT_FAILED");

  private AgentJson() {}

  /** A copy of the shared mapper, to configure further (indenting, escaping) without changing it. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  /**
   * {@code status --json} and {@code GET /api/status}: the {@link StatusReport}, with each source's
   * schedule and next run, every partner both ways, the last repair, and a verdict in plain words.
   * Contacts the partners (through {@link Agent#status()}), so it takes a moment.
   */
  public static ObjectNode status(Agent agent) {
    Instant checkedAt = agent.clock().instant();
    StatusReport report = agent.status();
    ObjectNode out = MAPPER.valueToTree(report);
    out.put("checkedAt", checkedAt.toString());
    Map<String, SourceInfo> sources = new HashMap<>();
    agent.sources().forEach(s -> sources.put(s.name(), s));
    for (var node : (ArrayNode) out.get("sources")) {
      SourceInfo s = sources.get(node.get("name").asText());
      ObjectNode o = (ObjectNode) node;
      o.put("schedule", s == null ? null : s.schedule());
      Instant next = s == null ? null : agent.nextScheduledRun(s);
      o.put("nextRun", next == null ? null : next.toString());
    }
    List<PartnerInfo> partners = agent.mesh().partners(false); // status() just said hello to them
    out.set("partners", MAPPER.valueToTree(partners));
    EventInfo repair = agent.events(0, 500).stream().filter(e -> REPAIR_EVENTS.contains(e.code())).findFirst()
        .orElse(null);
    out.set("lastRepair", MAPPER.valueToTree(repair));
    out.set("verdict", MAPPER.valueToTree(verdict(report, partners)));
    return out;
  }

  /** The answer to "is my data safe, and is my friends' data safe with me?" in a few words. */
  public record Verdict(String level, String headline, String partners) {}

  static Verdict verdict(StatusReport r, List<PartnerInfo> partners) {
    StatusReport.PackHealth h = r.health();
    long packs = h.healthy() + h.degraded() + h.atRisk() + h.lost();
    String level;
    String headline;
    if (h.lost() > 0) {
      level = "lost";
      headline = h.lost() + " of " + packs + " packs cannot be read from the sites available now: some files "
          + "cannot be restored until missing stores or partners come back";
    } else if (h.atRisk() > 0) {
      level = "at-risk";
      headline = "Your data can be restored, but " + h.atRisk() + " packs would not survive one more lost site";
    } else if (h.degraded() > 0) {
      level = "degraded";
      headline = "Your data is safe, with less redundancy than set: " + h.degraded() + " packs are missing shards";
    } else if (r.sources().stream().anyMatch(s -> s.lastBackup() == null)) {
      level = "warning";
      headline = "Some sources have never been backed up";
    } else if (packs == 0) {
      level = "warning";
      headline = "Nothing is backed up yet";
    } else {
      level = "ok";
      headline = "Your data is safe: all " + packs + " packs have every shard";
    }
    long active = partners.stream().filter(p -> !p.status().equals("removing")).count();
    long ok = partners.stream().filter(p -> p.status().equals("ok")).count();
    long full = partners.stream().filter(p -> p.hostsForThem() > 0 && p.usedByThem() >= p.hostsForThem() * 9 / 10)
        .count();
    String friends = active == 0 ? "You keep no one's data yet"
        : "You keep data for " + active + " partner" + (active == 1 ? "" : "s") + "; " + ok + " reachable now"
            + (full > 0 ? "; " + full + " near their quota here" : "");
    return new Verdict(level, headline, friends);
  }
}
