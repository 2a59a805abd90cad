package org.selfstorage.federation;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is making an RPC call to this agent.
 *
 * @param partner the partner whose agreement names the caller's key, or empty for a guest (a key
 *     with no agreement, which may call only {@code "pair"})
 * @param publicKey the raw 32-byte Ed25519 key the caller logged in with (a copy)
 * @param remote the caller's address
 */
public record RpcCaller(Optional<HostedPartner> partner, byte[] publicKey, InetSocketAddress remote) {
  public RpcCaller {
    Objects.requireNonNull(partner, "partner");
    Objects.requireNonNull(remote, "remote");
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  /** A copy of the key: the record's array must not be changed by one handler for the next. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Whether the caller has no agreement with this agent. */
  public boolean isGuest() {
    return partner.isEmpty();
  }
}
