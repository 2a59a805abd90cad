package org.selfstorage.federation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers RPC calls from partners and, for pairing only, from keys with no agreement (guests). The
 * server calls it on its own small pool of threads, never on an SSH I/O thread, so a handler may use
 * the catalog or the network; it must be thread-safe. A guest reaches it only for the method
 * {@code "pair"}; every other method a guest calls is answered {@code NOT_PAIRED} without calling it.
 */
@FunctionalInterface
public interface RpcHandler {
  /**
   * Answers one call.
   *
   * @param caller who is calling (a partner, or a guest with an empty {@link RpcCaller#partner()})
   * @param method the method name, already checked against {@code [A-Za-z][A-Za-z0-9_.-]{0,63}}
   * @param params the parameters, always a JSON object (empty when the caller sent none)
   * @return the result: any JSON value, such as an {@code ObjectNode} or {@code NullNode.instance}
   * @throws RpcException to answer an error with its code and message; any other exception is
   *     logged here and answered as {@code INTERNAL} with a generic message
   */
  JsonNode handle(RpcCaller caller, String method, JsonNode params);

  /** Answers every call with {@code UNKNOWN_METHOD}. */
  RpcHandler NONE = (c, m, p) -> {
    throw new RpcException("UNKNOWN_METHOD", "this agent answers no calls");
  };
}
