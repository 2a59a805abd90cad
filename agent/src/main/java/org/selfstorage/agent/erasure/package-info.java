/**
 * Erasure coding of packs into shards: {@link org.selfstorage.agent.erasure.ShardCodec} splits a
 * pack into {@code k} data shards and adds {@code m} parity shards (systematic Reed-Solomon over
 * GF(2^8)), so that any {@code k} shards give the pack back. Pure functions over byte arrays, no
 * I/O. The shard layout is part of the repository format: see {@code docs/codec-formats.md}.
 */
package org.selfstorage.agent.erasure;
