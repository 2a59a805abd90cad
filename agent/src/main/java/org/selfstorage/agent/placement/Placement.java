package org.selfstorage.agent.placement;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.selfstorage.agent.repo.OpenStore;
import org.selfstorage.catalog.PackId;

/**
 * Chooses where the shards of a pack go: weighted rendezvous hashing (each store scores
 * {@code -weight / ln(hash(pack, store))}, weight = free space), the best store of each site,
 * then the best sites. Deterministic, and a store joining or leaving moves only the shards that
 * must move. Never two shards of one pack on one site.
 */
public final class Placement {
  private Placement() {}

  /** The stores for shards 0..n-1, on n distinct sites; fewer when fewer sites are available. */
  public static List<OpenStore> choose(PackId pack, int n, List<OpenStore> candidates, Map<Long, Long> freeBytes) {
    Map<String, OpenStore> bestPerSite = new HashMap<>();
    Map<OpenStore, Double> scores = new HashMap<>();
    for (OpenStore s : candidates) {
      double score = score(pack, s.name(), freeBytes.getOrDefault(s.id(), 1L << 30));
      scores.put(s, score);
      OpenStore current = bestPerSite.get(s.site());
      if (current == null || score > scores.get(current)) {
        bestPerSite.put(s.site(), s);
      }
    }
    List<OpenStore> sites = new ArrayList<>(bestPerSite.values());
    sites.sort(Comparator.comparing((OpenStore s) -> scores.get(s)).reversed().thenComparing(OpenStore::name));
    return sites.subList(0, Math.min(n, sites.size()));
  }

  static double score(PackId pack, String storeName, long freeBytes) {
    double weight = Math.max(1.0, freeBytes / (double) (1 << 20));
    double u = uniform(pack, storeName);
    return -weight / Math.log(u);
  }

  /** A hash of (pack, store) mapped into (0, 1). */
  private static double uniform(PackId pack, String storeName) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(pack.bytes());
      d.update(storeName.getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(d.digest()).getLong() >>> 11;
      return (bits + 0.5) / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
