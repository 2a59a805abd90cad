package org.selfstorage.federation;

/**
 * Something a partner asked of this host and was refused, told to the agent so its owner learns
 * it: a write past the quota we keep for that partner ({@link Quota}: its backup places
 * elsewhere), or an operation no partner may do ({@link Access}).
 */
public sealed interface HostedRefusal {
  /** The partner's name. */
  String partner();

  /**
   * A write that would pass the quota.
   *
   * @param bytes what the write asked for
   * @param quota the quota of that partner's session
   * @param used what that partner's shards took here when it was refused
   */
  record Quota(String partner, long bytes, long quota, long used) implements HostedRefusal {}

  /**
   * A request outside what the hosted layout allows: a path outside it (traversal), a symbolic
   * link planted on the host, a link, copy or attribute change, a malformed shard request. The
   * agents of this project never ask for one, so a partner that does runs other software or probes.
   *
   * @param what the refused request, as the host's check named it: control and non-ASCII
   *     characters escaped, at most 120 characters and an ellipsis
   */
  record Access(String partner, String what) implements HostedRefusal {}
}
