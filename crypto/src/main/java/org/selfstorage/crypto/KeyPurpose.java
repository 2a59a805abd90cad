package org.selfstorage.crypto;

/**
 * What a key derived from the {@link MasterSecret} is for. Each purpose has a stable label that is
 * the HKDF {@code info}; changing a label changes every key of that purpose, so labels are frozen
 * (see {@code docs/crypto-formats.md}).
 */
public enum KeyPurpose {
  /** The HMAC-SHA256 key that turns chunk plaintext into a chunk id. */
  CHUNK_ID("selfstorage/v1/chunk-id"),
  /** The AEAD key for blobs (chunk contents) inside packs. */
  BLOB("selfstorage/v1/blob"),
  /** The AEAD key for the encrypted header at the end of a pack. */
  PACK_HEADER("selfstorage/v1/pack-header"),
  /** The AEAD key for the header each shard carries. */
  SHARD_HEADER("selfstorage/v1/shard-header"),
  /** The AEAD key for metadata replicated to every partner (snapshots, indexes, partner list). */
  METADATA("selfstorage/v1/metadata"),
  /** The 32-byte seed of the agent's Ed25519 identity. */
  IDENTITY("selfstorage/v1/identity"),
  /** The AEAD key for backups of the catalog. */
  CATALOG_BACKUP("selfstorage/v1/catalog-backup");

  private final String label;

  KeyPurpose(String label) {
    this.label = label;
  }

  /** The HKDF info string, ASCII, for example {@code "selfstorage/v1/chunk-id"}. */
  public String label() {
    return label;
  }
}
