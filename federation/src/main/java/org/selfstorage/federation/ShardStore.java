package org.selfstorage.federation;

import java.util.List;
import java.util.Optional;

/**
 * Where shards are kept: a local directory, or a partner's agent. The contract, which every
 * implementation must pass ({@code ShardStoreContract}):
 *
 * <ul>
 *   <li>{@link #put} is atomic and durable: when it returns, the whole shard survives a crash or
 *       power cut; a failed or interrupted put leaves either nothing or the previous content,
 *       never a partial file under the name. Putting the same name twice is harmless.
 *   <li>{@link #list} is complete or throws: a partial listing is never returned as if whole.
 *   <li>{@link #delete} of an absent shard succeeds.
 *   <li>Every failure is a {@link FederationException}: {@link ShardNotFoundException},
 *       {@link StoreFullException}, {@link StoreUnavailableException} or {@link StoreIoException}.
 * </ul>
 */
public interface ShardStore extends AutoCloseable {
  /** A short description for messages, such as {@code local:/mnt/usb1}. */
  String describe();

  void put(ShardName name, byte[] data);

  /**
   * Stores {@code header} followed by {@code body} as one shard, with the same guarantees as
   * {@link #put(ShardName, byte[])}; saves the copy into one array where a store can write parts.
   */
  default void put(ShardName name, byte[] header, byte[] body) {
    put(name, header, body, 0, body.length);
  }

  /**
   * Stores {@code header} followed by {@code body[bodyOffset .. bodyOffset + bodyLength)}: the body
   * may sit in a larger buffer that is reused for the next shard, or be a slice of a whole pack.
   */
  default void put(ShardName name, byte[] header, byte[] body, int bodyOffset, int bodyLength) {
    java.util.Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
    byte[] whole = java.util.Arrays.copyOf(header, header.length + bodyLength);
    System.arraycopy(body, bodyOffset, whole, header.length, bodyLength);
    put(name, whole);
  }

  byte[] get(ShardName name);

  /**
   * As {@link #get(ShardName)}, but where the store knows a shard's size before reading it, into an
   * array from {@code buffers} (asked for at least that size, and perhaps longer or not zeroed): a
   * reader of many shards can then reuse a few arrays rather than leave one of several MiB behind
   * for every shard. By default a new array of its own.
   */
  default ShardBytes get(ShardName name, java.util.function.IntFunction<byte[]> buffers) {
    byte[] b = get(name);
    return new ShardBytes(b, b.length);
  }

  Optional<ShardStat> stat(ShardName name);

  /** Every shard whose name starts with the prefix ("" for all), in name order. */
  List<ShardStat> list(String prefix);

  void delete(ShardName name);

  /**
   * Removes the temporary files of puts that a crash or power cut interrupted, and names each
   * (relative to the store). Only for a caller that knows no put to this store is running: the
   * owner under its home lock. Partners clean their own, when a partner first logs in.
   */
  default List<String> removeLeftovers() {
    return List.of();
  }

  /** Bytes still free for shards, or {@link Long#MAX_VALUE} when unknown. */
  long freeSpace();

  @Override
  default void close() {}
}
