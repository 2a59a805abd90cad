package org.selfstorage.agent;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A label a user gives snapshots ({@code backup --tag}, {@code tag --add}) and a policy keeps
 * ({@code policy set --keep-tag}). Letters, digits and {@code . _ : @ + -}, up to 64, starting with
 * a letter or digit: safe in a shell, a URL and the catalog's comma-joined policy column.
 */
public final class SnapshotTag {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,63}");

  private SnapshotTag() {}

  /** The tags, checked, without repeats, sorted; a malformed one is refused naming the rule. */
  public static List<String> checked(Collection<String> tags) {
    TreeSet<String> out = new TreeSet<>();
    for (String t : tags) {
      if (t == null || !FORM.matcher(t).matches()) {
        throw new UsageException("TAG_INVALID", "'" + t + "' is not a tag: a tag is 1 to 64 letters, digits and . _ : @"
            + " + -, starting with a letter or digit", "use a tag like before-upgrade or 2026-q4");
      }
      out.add(t);
    }
    return List.copyOf(out);
  }
}
