package org.selfstorage.agent;

import java.util.List;

/**
 * What {@code store remove} did: shards moved off the store to other sites, shards that could not
 * be moved (then the store was kept unless forced), whether it was removed, and where its
 * directory is (its files are left there: copies no longer used once the store is removed).
 */
public record StoreRemoval(String name, String location, int moved, List<String> notMoved, boolean removed) {}
