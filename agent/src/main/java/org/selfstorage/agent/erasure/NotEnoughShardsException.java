package org.selfstorage.agent.erasure;

/** Fewer shards of a pack are present than the number of data shards needed to decode it. */
public final class NotEnoughShardsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int present;
  private final int needed;

  public NotEnoughShardsException(int present, int needed) {
    super(present + " shard" + (present == 1 ? "" : "s") + " present, " + needed + " needed");
    this.present = present;
    this.needed = needed;
  }

  public int present() {
    return present;
  }

  public int needed() {
    return needed;
  }
}
