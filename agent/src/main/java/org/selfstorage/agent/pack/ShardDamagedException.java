package org.selfstorage.agent.pack;

/** A stored shard failed verification; the message says how. */
public final class ShardDamagedException extends RuntimeException {
  public ShardDamagedException(String message) {
    super(message);
  }
}
