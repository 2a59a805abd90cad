package org.selfstorage.federation;

import java.time.Duration;
import java.util.Objects;

/**
 * How this agent talks to its partners.
 *
 * @param connectTimeout TCP connect, key exchange and login must finish within this time
 * @param stallTimeout an operation that makes no progress (no byte moved, no reply) for this long
 *     fails with {@link PartnerUnreachableException} and its session is dropped
 * @param minBytesPerSecond a transfer slower than this on average fails too, however steadily it
 *     trickles (against a partner sending one byte a second); the allowance is {@code stallTimeout +
 *     bytes / minBytesPerSecond}
 * @param dataPath how shard bytes travel; metadata (stat, list, delete) always uses SFTP
 * @param windowBytes SSH channel window the client grants
 * @param packetBytes largest SSH channel packet the client accepts
 * @param epoch this agent's epoch, declared at login (it rises when the home is recovered on another
 *     machine; partners let a session that declares an older one read but not change anything)
 * @param maxListing a partner's listing of our shards with more entries than this is refused (a
 *     hostile partner could otherwise list without end and exhaust our memory); a million is 8 TB of
 *     8 MiB shards on one partner
 */
public record ClientSettings(
    Duration connectTimeout,
    Duration stallTimeout,
    long minBytesPerSecond,
    DataPath dataPath,
    int windowBytes,
    int packetBytes,
    long epoch,
    long maxListing) {

  /** The two ways shard bytes can travel; docs/federation.md has the measurement behind the default. */
  public enum DataPath {
    /** A stream on the {@code selfstorage-shards@selfstorage} subsystem: one channel per shard. */
    SHARD_CHANNEL,
    /** SFTP writes to a temporary name, then a rename. */
    SFTP
  }

  public ClientSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(dataPath, "dataPath");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (minBytesPerSecond < 1) {
      throw new IllegalArgumentException("minBytesPerSecond must be positive");
    }
    if (maxListing < 1) {
      throw new IllegalArgumentException("maxListing must be positive");
    }
    if (packetBytes < 32 * 1024 || windowBytes < packetBytes) {
      throw new IllegalArgumentException("packetBytes must be at least 32 KiB and windowBytes at least packetBytes");
    }
  }

  /** Production values: 15 s to connect, 15 s without progress, 150 kB/s floor, the shard channel. */
  public static ClientSettings defaults() {
    return new ClientSettings(Duration.ofSeconds(15), Duration.ofSeconds(15), 150_000, DataPath.SHARD_CHANNEL, 16 << 20, 128 << 10,
        0, 1_000_000);
  }

  public ClientSettings withTimeouts(Duration connect, Duration stall) {
    return new ClientSettings(connect, stall, minBytesPerSecond, dataPath, windowBytes, packetBytes, epoch, maxListing);
  }

  public ClientSettings withDataPath(DataPath path) {
    return new ClientSettings(connectTimeout, stallTimeout, minBytesPerSecond, path, windowBytes, packetBytes, epoch, maxListing);
  }

  public ClientSettings withMinBytesPerSecond(long rate) {
    return new ClientSettings(connectTimeout, stallTimeout, rate, dataPath, windowBytes, packetBytes, epoch, maxListing);
  }

  public ClientSettings withMaxListing(long n) {
    return new ClientSettings(connectTimeout, stallTimeout, minBytesPerSecond, dataPath, windowBytes, packetBytes, epoch,
        n);
  }

  public ClientSettings withEpoch(long e) {
    return new ClientSettings(connectTimeout, stallTimeout, minBytesPerSecond, dataPath, windowBytes, packetBytes, e, maxListing);
  }
}
