package org.selfstorage.federation;

import java.util.regex.Pattern;

/**
 * The name of a shard file on a store. Opaque to stores; the agent maps its own ids to names.
 * Restricted to a small alphabet so that no name can climb out of a store's directory.
 */
public record ShardName(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,126}(\\.[a-z0-9_-]{1,32})?");

  public ShardName {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("not a valid shard name: " + value);
    }
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
