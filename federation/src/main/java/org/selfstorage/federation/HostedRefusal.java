package org.selfstorage.federation;

/**
 * Something a partner or a stranger asked of this host and was refused, told to the agent so its
 * owner learns it: a write past the quota we keep for that partner ({@link Quota}: its backup
 * places elsewhere), an operation no partner may do ({@link Access}), a partner's session past its
 * cap ({@link Sessions}), or logins with keys that have no agreement past their limits ({@link
 * Strangers}).
 */
public sealed interface HostedRefusal {
  /** Who was refused: the partner's name, or a stranger's address. */
  String from();

  /**
   * A write that would pass the quota.
   *
   * @param bytes what the write asked for
   * @param quota the quota of that partner's session
   * @param used what that partner's shards took here when it was refused
   */
  record Quota(String from, long bytes, long quota, long used) implements HostedRefusal {}

  /**
   * A request outside what the hosted layout allows: a path outside it (traversal), a symbolic
   * link planted on the host, a link, copy or attribute change, a malformed shard request. The
   * agents of this project never ask for one, so a partner that does runs other software or probes.
   *
   * @param what the refused request, as the host's check named it: control and non-ASCII
   *     characters escaped, at most 120 characters and an ellipsis
   */
  record Access(String from, String what) implements HostedRefusal {}

  /**
   * A login refused because the partner had as many sessions open as it may. Our agents open one
   * or two, so a partner that meets the cap leaks sessions or runs other software.
   *
   * @param cap the sessions a partner may hold at once
   */
  record Sessions(String from, int cap) implements HostedRefusal {}

  /**
   * A login with a key no agreement names (which may only try to pair), refused because that
   * address, or all strangers together, tried more often than the limits allow.
   *
   * @param from the address the login came from
   * @param why the limit met, in words
   */
  record Strangers(String from, String why) implements HostedRefusal {}
}
