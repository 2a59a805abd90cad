package org.selfstorage.federation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client for one partner's RPC subsystem; see {@link PartnerConnections#rpc}. Each call uses its
 * own channel on the partner's shared SSH session. Thread-safe.
 */
public interface RpcClient {
  /**
   * Calls {@code method} on the partner and returns its result.
   *
   * @param params a JSON object, or {@code null} for none
   * @throws RpcException the partner's handler answered an error (its code and message)
   * @throws PartnerUnreachableException no connection, or no reply within the stall timeout (the
   *     session is dropped)
   * @throws HostKeyMismatchException the partner presented another host key than the pinned one
   * @throws StoreUnavailableException the partner refused our login
   * @throws StoreIoException the partner broke the protocol (an oversized or malformed reply)
   */
  JsonNode call(String method, JsonNode params);
}
