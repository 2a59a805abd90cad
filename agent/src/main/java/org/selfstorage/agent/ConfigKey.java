package org.selfstorage.agent;

import java.util.Arrays;
import java.util.Optional;

/** The settings a user can change with {@code selfstorage config set}, each with its rule. */
public enum ConfigKey {
  REDUNDANCY_TOLERATE("redundancy.tolerate", "1", 0, 8,
      "how many sites (stores or partners) may be lost at once without losing data"),
  COMPRESSION_LEVEL("compression.level", "1", 1, 19,
      "zstd level for new chunks: 1 is fastest; higher saves some space for much more CPU");

  private final String key;
  private final String defaultValue;
  private final int min;
  private final int max;
  private final String description;

  ConfigKey(String key, String defaultValue, int min, int max, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String rule() {
    return "a whole number from " + min + " to " + max;
  }

  public static Optional<ConfigKey> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  /** Returns the normalised value, or throws a usage error that states the rule. */
  public String validate(String value) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v >= min && v <= max) {
        return Integer.toString(v);
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal below
    }
    throw new UsageException("CONFIG_INVALID", key + " must be " + rule() + "; '" + value + "' is not",
        "selfstorage config set " + key + " " + defaultValue);
  }
}
