package org.selfstorage.agent.placement;

import org.selfstorage.agent.AgentException;

/**
 * Derives the layout from the number of usable sites and the number of site losses to tolerate
 * (m). k = sites - m, so every shard of a pack sits on its own site; from five sites on, one site
 * is kept spare (k = sites - m - 1) so that a lost site can be rebuilt elsewhere without doubling
 * up. k is capped so shards stay large enough to be worth a file.
 */
public final class Redundancy {
  public static final int MAX_DATA_SHARDS = 12;

  private Redundancy() {}

  public static Layout layout(int sites, int tolerate) {
    String shortfall = shortfall(sites, tolerate);
    if (shortfall != null) {
      throw new AgentException("NOT_ENOUGH_SITES", shortfall + "; nothing was stored", fixFor(sites));
    }
    int k = sites - tolerate;
    if (sites >= 5) {
      k -= 1;
    }
    k = Math.max(1, Math.min(k, MAX_DATA_SHARDS));
    return new Layout(k, tolerate);
  }

  /** Why {@code sites} cannot hold new packs while tolerating {@code tolerate} lost sites, or null if they can. */
  public static String shortfall(int sites, int tolerate) {
    return sites >= tolerate + 1 ? null
        : sites + " site" + (sites == 1 ? " is" : "s are") + " usable, but tolerating the loss of " + tolerate
            + " needs at least " + (tolerate + 1);
  }

  /** The command that gives {@code sites} usable sites enough company. */
  public static String fixFor(int sites) {
    return sites == 0
        ? "selfstorage store add DIR --site NAME"
        : "selfstorage store add DIR --site NAME   (or: selfstorage config set redundancy.tolerate "
            + Math.max(0, sites - 1) + ")";
  }
}
