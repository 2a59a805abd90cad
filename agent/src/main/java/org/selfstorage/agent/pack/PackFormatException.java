package org.selfstorage.agent.pack;

/** Bytes that should be a pack, blob or shard do not decode. Stored data is damaged. */
public final class PackFormatException extends RuntimeException {
  public PackFormatException(String message) {
    super(message);
  }
}
