package org.selfstorage.federation.rpc;

import java.util.Optional;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.selfstorage.federation.HostedPartner;

/**
 * Who an authenticated SSH session belongs to: a partner, or a guest (a key with no agreement, let
 * in only to pair). Set on the session when it authenticates; every channel request is checked
 * against it.
 */
public record RpcPeer(Optional<HostedPartner> partner, byte[] publicKey) {
  public static final AttributeKey<RpcPeer> KEY = new AttributeKey<>();

  public boolean isGuest() {
    return partner.isEmpty();
  }
}
