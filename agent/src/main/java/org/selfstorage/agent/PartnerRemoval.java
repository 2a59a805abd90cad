package org.selfstorage.agent;

import java.util.List;

/**
 * What {@code partners remove} did: shards of ours moved off the partner to other sites, shards
 * that could not be moved (still needed there: the partner was kept unless forced), and whether
 * the partner heard that we left.
 */
public record PartnerRemoval(String name, int moved, List<String> notMoved, boolean removed, boolean partnerNotified) {}
