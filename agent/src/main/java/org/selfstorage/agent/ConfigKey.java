package org.selfstorage.agent;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.federation.PartnerAddress;

/** The settings a user can change with {@code selfstorage config set}, each with its rule. */
public enum ConfigKey {
  REDUNDANCY_TOLERATE("redundancy.tolerate", "1", "a whole number from 0 to 8", wholeNumber(0, 8),
      "how many sites (stores or partners) may be lost at once without losing data"),
  COMPRESSION_LEVEL("compression.level", "1", "a whole number from 1 to 19", wholeNumber(1, 19),
      "zstd level for new chunks: 1 is fastest; higher saves some space for much more CPU"),
  PRUNE_REPACK_UNUSED("prune.repack-unused-percent", "50", "a whole number from 1 to 100", wholeNumber(1, 100),
      "prune rewrites a pack when more than this share of it is unused (100: never repack)"),
  REPAIR_GRACE("repair.grace", "24h", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "how long a partner may be unreachable before it counts as lost and its shards are rebuilt elsewhere"),
  REPAIR_EVERY("repair.every", "30s", "a duration like 30s, 5m or 1h", ConfigKey::duration,
      "how often the running agent looks for packs to heal, and rebalances when none need it (read when the agent "
          + "starts)"),
  REPAIR_SWEEP_EVERY("repair.sweep-every", "1h", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "how often the running agent lists stores and partners and deletes shard files no pack needs (after a "
          + "second look)"),
  REPAIR_MAX_RATE("repair.max-rate", "0", "a rate like 500K, 20M or 1G (bytes per second), or 0 for no limit",
      ConfigKey::rate, "how fast repairs may read and write shards, together (0: as fast as stores and partners go)"),
  UPLOAD_MAX_RATE("upload.max-rate", "0", "a rate like 500K, 20M or 1G (bytes per second), or 0 for no limit",
      ConfigKey::rate, "how fast shards may go to partners, all together (backups, repairs, moves), so that they "
          + "leave room on this machine's uplink; read at each command and each scheduled run (0: no limit)"),
  HOSTING_MAX_RATE("hosting.max-rate", "0", "a rate like 500K, 20M or 1G (bytes per second), or 0 for no limit",
      ConfigKey::rate, "how fast each partner may send shards to this machine (0: no limit); partners learn it at "
          + "their next hello and keep to it, one that does not is slowed, never refused (a running agent applies a "
          + "change within seconds)"),
  REPAIR_PACKS_AT_ONCE("repair.packs-at-once", "2", "a whole number from 1 to 8", wholeNumber(1, 8),
      "packs a repair rebuilds at once: one is read while another is written; raise it for links with long round "
          + "trips (each takes memory for one pack)"),
  PARTNER_TIMEOUT("partner.timeout", "15s", "a duration like 10s, 30s or 2m", ConfigKey::duration,
      "how long a partner may take to connect, or go without moving a byte, before this operation gives up on "
          + "it and places or reads around it (raise it for slow links; a running agent reads it when it starts)"),
  AUDIT_EVERY("audit.every", "6h", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "how often the running agent audits what partners keep for us, and scrubs what it keeps for them"),
  AUDIT_CHALLENGES("audit.challenges", "30", "a whole number from 0 to 1000", wholeNumber(0, 1000),
      "shards per partner and audit whose random-offset challenge the partner must answer"),
  AUDIT_VERIFY_EVERY("audit.verify-every", "30d", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "every stored shard is downloaded and verified whole at least once in this period (so is every "
          + "hosted shard scrubbed); audits spread the reading over it"),
  AGENT_NAME("agent.name", "", "1 to 64 letters, digits, '.', '_' or '-'", ConfigKey::name,
      "this agent's name, as its partners see it (set by init --name)"),
  AGENT_LISTEN("agent.listen", "127.0.0.1:7722", "HOST:PORT", ConfigKey::address,
      "where the agent's SSH server listens for partners (0.0.0.0:7722 for every interface)"),
  AGENT_ADVERTISE("agent.advertise", "", "HOST:PORT[,HOST:PORT...], or empty for agent.listen",
      ConfigKey::addresses, "the addresses partners are told to reach this agent at (in invitation codes)"),
  AGENT_HELLO_EVERY("agent.hello-every", "60s", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "how often the running agent says hello to every partner (read when the agent starts)"),
  STATUS_BACKUP_AGE_WARN("status.backup-age-warn", "48h", "a duration like 90s, 30m, 24h or 7d", ConfigKey::duration,
      "status warns when a source without a schedule has no backup this recent (with one: two missed runs)"),

  UI_LISTEN("ui.listen", "127.0.0.1:7780", "a loopback HOST:PORT (127.x.x.x, [::1] or localhost, which is both; "
      + "port 0 picks a free one)", ConfigKey::loopback, "where the running agent serves the web UI; it is never served beyond "
      + "this machine (reach it from elsewhere through an SSH tunnel)");

  private final String key;
  private final String defaultValue;
  private final String rule;
  private final UnaryOperator<String> normaliser;
  private final String description;

  ConfigKey(String key, String defaultValue, String rule, UnaryOperator<String> normaliser, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.rule = rule;
    this.normaliser = normaliser;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** Its value as the catalog has it now, or its default. */
  public String valueIn(Catalog catalog) {
    return catalog.settings().get(key).orElse(defaultValue);
  }

  public String description() {
    return description;
  }

  public String rule() {
    return rule;
  }

  public static Optional<ConfigKey> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  /** Returns the normalised value, or throws a usage error that states the rule. */
  public String validate(String value) {
    String v = value == null ? null : normaliser.apply(value.trim());
    if (v == null) {
      throw new UsageException("CONFIG_INVALID", key + " must be " + rule + "; '" + value + "' is not",
          "selfstorage config set " + key + " " + (defaultValue.isEmpty() ? example() : defaultValue));
    }
    return v;
  }

  private String example() {
    return this == AGENT_NAME ? "alice" : this == UI_LISTEN ? "127.0.0.1:7780" : "alice.example.org:7722";
  }

  // each normaliser returns null for a value its rule refuses

  private static String rate(String s) {
    return s.matches("0|[1-9][0-9]{0,5}[KMG]") ? s : null;
  }

  /** Bytes per second of a rate {@link #REPAIR_MAX_RATE} or {@link #UPLOAD_MAX_RATE} accepts (0: no limit). */
  public static long parseRate(String s) {
    if (s.equals("0")) {
      return 0;
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 'K' -> n << 10;
      case 'M' -> n << 20;
      default -> n << 30;
    };
  }

  private static UnaryOperator<String> wholeNumber(int min, int max) {
    return s -> {
      try {
        int v = Integer.parseInt(s);
        return v >= min && v <= max ? Integer.toString(v) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    };
  }

  private static String duration(String s) {
    return s.matches("[1-9][0-9]{0,6}[smhd]") ? s : null;
  }

  /** A value of {@link #REPAIR_GRACE} as a duration. */
  public static java.time.Duration parseDuration(String s) {
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (s.charAt(s.length() - 1)) {
      case 's' -> java.time.Duration.ofSeconds(n);
      case 'm' -> java.time.Duration.ofMinutes(n);
      case 'h' -> java.time.Duration.ofHours(n);
      default -> java.time.Duration.ofDays(n);
    };
  }

  private static String name(String s) {
    return s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") ? s : null;
  }

  private static String address(String s) {
    try {
      return PartnerAddress.parse(s).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A loopback address only: the web UI trusts a browser on this machine and nothing else, and
   * its Host check (DNS rebinding) would refuse every other name anyway.
   */
  private static String loopback(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\[::1\\]|localhost|127(?:\\.\\d{1,3}){3}):(\\d{1,5})")
        .matcher(s.toLowerCase(java.util.Locale.ROOT));
    if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
      return null;
    }
    if (m.group(1).startsWith("127") && java.util.Arrays.stream(m.group(1).split("\\."))
        .anyMatch(octet -> Integer.parseInt(octet) > 255)) {
      return null;
    }
    return m.group(1) + ":" + Integer.parseInt(m.group(2));
  }

  private static String addresses(String s) {
    if (s.isEmpty()) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    String[] parts = s.split(",");
    if (parts.length > 4) {
      return null;
    }
    for (String p : parts) {
      String a = address(p.trim());
      if (a == null) {
        return null;
      }
      out.append(out.length() == 0 ? "" : ",").append(a);
    }
    return out.toString();
  }
}
