package org.selfstorage.federation.hosted;

/**
 * The {@code selfstorage-shards@selfstorage} subsystem: one shard per channel, raw bytes, no per-packet
 * request/acknowledge round trips as in SFTP. All integers big-endian.
 *
 * <pre>
 * request   = u8 version (1) | u8 op | u16 name length | name (US-ASCII, a ShardName)
 *             | op PUT: u64 length
 * reply     = u8 status | u16 message length | message (UTF-8, may be empty)
 *
 * PUT:  client sends the request; the server checks the name and reserves the length against the
 *       quota and replies (READY or an error); on READY the client sends exactly length bytes; the
 *       server writes them to /incoming, forces them to disk, renames into /shards, forces the
 *       directory, and replies again (OK or an error). Nothing partial remains after an error.
 * GET:  client sends the request; the server replies OK followed by u64 length and the bytes, or an
 *       error (NOT_FOUND for a missing shard).
 * </pre>
 *
 * After its last reply the server closes the channel.
 */
public final class ShardChannelProtocol {
  public static final String SUBSYSTEM = "selfstorage-shards@selfstorage";
  public static final int VERSION = 1;

  public static final int OP_PUT = 'P';
  public static final int OP_GET = 'G';

  public static final int OK = 0;
  public static final int NOT_FOUND = 1;
  public static final int QUOTA_EXCEEDED = 2;
  public static final int BAD_REQUEST = 3;
  public static final int IO_ERROR = 4;
  public static final int NO_SPACE = 5;

  /** The largest shard either side accepts: shards are packs of tens of MiB split k ways. */
  public static final long MAX_SHARD_BYTES = 1L << 30;

  private ShardChannelProtocol() {}
}
