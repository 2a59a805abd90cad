package org.selfstorage.agent;

/** A store as shown to users: where it is, its site, what it holds, and whether it can be used now. */
public record StoreInfo(String name, String kind, String location, String site, boolean available, String problem,
    long shards, long bytes, long freeBytes) {}
