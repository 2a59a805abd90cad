/**
 * Keys and formats of selfstorage: the {@link org.selfstorage.crypto.MasterSecret} and its
 * printed form, the {@link org.selfstorage.crypto.RecoveryCode}; keys derived from it for each
 * {@link org.selfstorage.crypto.KeyPurpose}; the keyed chunk hash {@link
 * org.selfstorage.crypto.ChunkIdKey}; authenticated encryption {@link
 * org.selfstorage.crypto.AeadCipher}; and the agent's Ed25519 {@link
 * org.selfstorage.crypto.Identity}, which is also its SSH key.
 *
 * <p>Every byte format here is specified, with test vectors, in {@code docs/crypto-formats.md}.
 * Failures are unchecked {@link org.selfstorage.crypto.CryptoException}s with stable codes. Key
 * material never appears in {@code toString()}, logs or exception messages.
 */
package org.selfstorage.crypto;
