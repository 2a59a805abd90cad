package org.selfstorage.agent.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.selfstorage.catalog.BlobId;

/**
 * Finds entries whose name matches, in the trees of many snapshots. What a tree holds is worked
 * out once per tree blob, however many snapshots (and paths) share it: searching a year of daily
 * snapshots costs about as much as searching the distinct directories among them.
 */
public final class TreeSearch {
  /** A match: its path relative to the tree searched, and its entry. */
  public record Hit(String path, Node node) {}

  private final Function<BlobId, Tree> trees;
  private final Predicate<String> nameMatches;
  private final Map<BlobId, List<Hit>> known = new HashMap<>();
  private final int maxHits;

  /** Thrown when one tree holds more than the allowed matches: the search would hold them all in memory. */
  public static final class TooManyHits extends RuntimeException {
    public TooManyHits(int max) {
      super("more than " + max + " matches");
    }
  }

  /** {@code maxHits}: most matches under any one tree before the search gives up ({@link TooManyHits}). */
  public TreeSearch(Function<BlobId, Tree> trees, Predicate<String> nameMatches, int maxHits) {
    this.trees = trees;
    this.nameMatches = nameMatches;
    this.maxHits = maxHits;
  }

  /** The matches under a tree, in path order, paths relative to it. */
  public List<Hit> in(BlobId tree) {
    List<Hit> cached = known.get(tree);
    if (cached != null) {
      return cached;
    }
    List<Hit> out = new ArrayList<>();
    for (Node n : trees.apply(tree).nodes()) {
      String name = n.nameString();
      if (nameMatches.test(name)) {
        out.add(new Hit(name, n));
      }
      if (n.subtree() != null) {
        for (Hit h : in(n.subtree())) {
          out.add(new Hit(name + "/" + h.path(), h.node()));
        }
      }
      if (out.size() > maxHits) {
        throw new TooManyHits(maxHits);
      }
    }
    known.put(tree, out);
    return out;
  }
}
