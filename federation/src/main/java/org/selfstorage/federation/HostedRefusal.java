package org.selfstorage.federation;

/**
 * A write of a partner's that this host refused because it would pass the quota we keep for that
 * partner: told to the agent so its owner learns it (the partner's backup places elsewhere).
 *
 * @param partner the partner's name
 * @param bytes what the write asked for
 * @param quota the quota of that partner's session
 * @param used what that partner's shards took here when it was refused
 */
public record HostedRefusal(String partner, long bytes, long quota, long used) {}
