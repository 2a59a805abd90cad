package org.selfstorage.federation;

/**
 * This agent's connections to its partners, as a client. One SSH session per partner, opened when
 * first needed and reused by every store operation; the partner's host key is pinned by fingerprint.
 * Thread-safe. Create with {@link Federation#partnerConnections}.
 */
public interface PartnerConnections extends AutoCloseable {
  /**
   * The shard store a partner hosts for this agent. Cheap: the session is opened on the first
   * operation. Closing the returned store does not close the shared session.
   */
  ShardStore shardStore(String partner, PartnerAddress address, HostKeyFingerprint pinnedHostKey);

  /**
   * A client for the partner's RPC subsystem, on the same reused session as its shard store (same
   * pin, same deadlines: a call with no reply within {@link ClientSettings#stallTimeout()} fails
   * with {@link PartnerUnreachableException} and drops the session). Cheap. Without an agreement on
   * the partner's side this agent is a guest there and may call only {@code pair}.
   */
  RpcClient rpc(String partner, PartnerAddress address, HostKeyFingerprint pinnedHostKey);

  /**
   * Keeps every shard upload of these connections together (all partners, all threads) within
   * {@code bytesPerSecond} from now on, so that a backup leaves room on a home uplink; 0 lifts the
   * limit. Time spent waiting for it does not count against a partner's deadlines.
   */
  void limitUploads(long bytesPerSecond);

  /**
   * Keeps shard uploads to {@code partner} within the rate it takes from us (its
   * {@code hosting.max-rate}, told at hello) as well; 0 when it sets none. Time spent waiting for it
   * does not count against the partner's deadlines (a partner slowing us itself would).
   */
  void limitUploads(String partner, long bytesPerSecond);

  /** Closes the partner's session, if open; the next operation opens a new one. */
  void disconnect(String partner);

  /** Closes every session. */
  @Override
  void close();
}
