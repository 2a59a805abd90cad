package org.selfstorage.agent.repo;

import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.ChunkIdKey;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

/** The keys a repository works with, all derived from the master secret. */
public record Keys(
    ChunkIdKey chunkId, AeadCipher blob, AeadCipher packHeader, AeadCipher shardHeader, AeadCipher metadata,
    AeadCipher catalogBackup) {

  public static Keys derive(MasterSecret secret) {
    return new Keys(
        ChunkIdKey.derive(secret),
        AeadCipher.derive(secret, KeyPurpose.BLOB),
        AeadCipher.derive(secret, KeyPurpose.PACK_HEADER),
        AeadCipher.derive(secret, KeyPurpose.SHARD_HEADER),
        AeadCipher.derive(secret, KeyPurpose.METADATA),
        AeadCipher.derive(secret, KeyPurpose.CATALOG_BACKUP));
  }
}
