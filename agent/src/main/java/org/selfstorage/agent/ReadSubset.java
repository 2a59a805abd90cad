package org.selfstorage.agent;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.selfstorage.catalog.PackId;

/**
 * Which packs a check reads in full: none, all, part {@code n} of {@code of} (each pack is in one
 * part, by its id, so the parts 1/7 to 7/7 on seven days read everything once), or a random share.
 * Packs not read are still checked for presence and size.
 */
public record ReadSubset(int part, int of, double share) {
  /** Reads nothing: presence and sizes only. */
  public static final ReadSubset NONE = new ReadSubset(0, 1, 0);
  /** Reads every pack. */
  public static final ReadSubset ALL = new ReadSubset(1, 1, 1);

  private static final Pattern PART = Pattern.compile("(\\d{1,6})/(\\d{1,6})");
  private static final Pattern SHARE = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3})?)%");

  /**
   * {@code N/M} (1 &le; N &le; M) or {@code P%} (0 &lt; P &le; 100).
   *
   * @throws IllegalArgumentException with the rule, for anything else
   */
  public static ReadSubset parse(String text) {
    Matcher p = PART.matcher(text);
    if (p.matches()) {
      int n = Integer.parseInt(p.group(1));
      int m = Integer.parseInt(p.group(2));
      if (n >= 1 && n <= m) {
        return new ReadSubset(n, m, 0);
      }
    }
    Matcher s = SHARE.matcher(text);
    if (s.matches()) {
      double pct = Double.parseDouble(s.group(1));
      if (pct > 0 && pct <= 100) {
        return new ReadSubset(0, 1, pct / 100);
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a subset to read: write N/M for part N of M (1/7, "
        + "then 2/7 the next day, ...: the parts together are every pack), or P% for a random share (5%)");
  }

  /** Whether anything is read in full. */
  public boolean readsData() {
    return part > 0 || share > 0;
  }

  /** Whether this pack is read in full. */
  public boolean includes(PackId pack) {
    if (part > 0) {
      byte[] b = pack.bytes();
      long key = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
      return key % of == part - 1;
    }
    return share > 0 && (share >= 1 || ThreadLocalRandom.current().nextDouble() < share);
  }
}
