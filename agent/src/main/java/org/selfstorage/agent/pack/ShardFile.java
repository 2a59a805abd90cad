package org.selfstorage.agent.pack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.AuthenticationFailedException;

/**
 * One Reed-Solomon shard of a pack as stored: a header then the body.
 *
 * <pre>
 * "SSSH" u8 version=1 u8 index u8 k u8 m  16 pack-id  u32 pack-length  u32 body-length  32 sha256(body)
 * 28 tag = AEAD(shard-header key, empty plaintext, associated data = the 64 header bytes above)
 * body
 * </pre>
 *
 * A host scrubs with the plain SHA-256 alone; the owner also checks the tag, which binds the pack
 * id and shard index, so a shard cannot be swapped for another one, even with a matching hash.
 */
public final class ShardFile {
  static final byte[] MAGIC = "SSSH".getBytes(StandardCharsets.US_ASCII);
  static final int PLAIN_HEADER = 64;
  public static final int HEADER = PLAIN_HEADER + AeadCipher.OVERHEAD;
  private static final int STEP = 16 << 10;

  /** The parsed, verified header of a shard. */
  public record Header(PackId packId, int index, int dataShards, int parityShards, int packLength, byte[] bodySha256) {}

  private ShardFile() {}

  public static byte[] sha256(byte[] data, int offset, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      // Small steps let the JIT compile the digest loop with its SHA intrinsics early; one huge
      // update runs in the interpreter for as long as a short-lived process lives.
      for (int pos = 0; pos < length; pos += STEP) {
        d.update(data, offset + pos, Math.min(STEP, length - pos));
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header to store before {@code body}; see {@link #encode} for a whole shard in one array. */
  public static byte[] header(PackId pack, int index, int k, int m, int packLength, byte[] body, AeadCipher cipher) {
    return header(pack, index, k, m, packLength, body, 0, body.length, cipher);
  }

  /** As above, for a body that is {@code body[bodyOffset .. bodyOffset + bodyLength)}. */
  public static byte[] header(PackId pack, int index, int k, int m, int packLength, byte[] body, int bodyOffset,
      int bodyLength, AeadCipher cipher) {
    byte[] out = new byte[HEADER];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put(MAGIC).put((byte) 1).put((byte) index).put((byte) k).put((byte) m).put(pack.bytes());
    b.putInt(packLength).putInt(bodyLength).put(sha256(body, bodyOffset, bodyLength));
    byte[] tag = cipher.seal(new byte[0], 0, 0, Arrays.copyOf(out, PLAIN_HEADER));
    System.arraycopy(tag, 0, out, PLAIN_HEADER, tag.length);
    return out;
  }

  public static byte[] encode(PackId pack, int index, int k, int m, int packLength, byte[] body, AeadCipher cipher) {
    byte[] out = Arrays.copyOf(header(pack, index, k, m, packLength, body, cipher), HEADER + body.length);
    System.arraycopy(body, 0, out, HEADER, body.length);
    return out;
  }

  /** The SHA-256 of the body, as written in a header made by {@link #header}. */
  public static byte[] bodySha256(byte[] header) {
    return Arrays.copyOfRange(header, PLAIN_HEADER - 32, PLAIN_HEADER);
  }

  /**
   * Verifies a stored shard: header tag, expected pack and index, length, and body hash. Returns its
   * header; throws {@link ShardDamagedException} naming what is wrong.
   */
  public static Header verify(byte[] shard, PackId expectedPack, int expectedIndex, AeadCipher cipher) {
    return verify(shard, expectedPack, expectedIndex, cipher, true);
  }

  /**
   * As {@link #verify(byte[], PackId, int, AeadCipher)}; with {@code checkBody} false the body's
   * hash is not recomputed, for readers that authenticate every blob they take from the body
   * anyway and verify fully only when a blob fails.
   */
  public static Header verify(byte[] shard, PackId expectedPack, int expectedIndex, AeadCipher cipher,
      boolean checkBody) {
    return verify(shard, shard.length, expectedPack, expectedIndex, cipher, checkBody);
  }

  /** As above, for a shard that is the first {@code length} bytes of {@code shard}. */
  public static Header verify(byte[] shard, int length, PackId expectedPack, int expectedIndex, AeadCipher cipher,
      boolean checkBody) {
    java.util.Objects.checkFromIndexSize(0, length, shard.length);
    if (length < HEADER) {
      throw new ShardDamagedException("truncated: " + length + " bytes, shorter than a header");
    }
    ByteBuffer b = ByteBuffer.wrap(shard);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new ShardDamagedException("not a shard file (bad magic)");
    }
    int version = b.get();
    int index = b.get() & 0xff;
    int k = b.get() & 0xff;
    int m = b.get() & 0xff;
    byte[] pack = new byte[PackId.LENGTH];
    b.get(pack);
    int packLength = b.getInt();
    int bodyLength = b.getInt();
    byte[] hash = new byte[32];
    b.get(hash);
    try {
      cipher.open(shard, PLAIN_HEADER, AeadCipher.OVERHEAD, Arrays.copyOf(shard, PLAIN_HEADER));
    } catch (AuthenticationFailedException e) {
      throw new ShardDamagedException("header does not authenticate (altered, or not ours)");
    }
    if (version != 1) {
      throw new ShardDamagedException("unsupported shard version " + version);
    }
    if (!Arrays.equals(pack, expectedPack.bytes()) || index != expectedIndex) {
      throw new ShardDamagedException("holds shard " + index + " of pack " + new PackId(pack).shortHex()
          + " instead of shard " + expectedIndex + " of pack " + expectedPack.shortHex());
    }
    if (bodyLength != length - HEADER) {
      throw new ShardDamagedException("body is " + (length - HEADER) + " bytes, header says " + bodyLength);
    }
    if (checkBody && !Arrays.equals(hash, sha256(shard, HEADER, bodyLength))) {
      throw new ShardDamagedException("body does not match its checksum (bit rot or tampering)");
    }
    return new Header(new PackId(pack), index, k, m, packLength, hash);
  }

  /**
   * What a host, who has no key, can check of a shard file it keeps: the magic, that the body has
   * the length its header says, and that it matches the SHA-256 in the header. Returns what is
   * wrong, or null when the file passes (it may still be a valid shard of another pack: only the
   * owner can tell, with the header tag).
   */
  public static String scrubProblem(java.nio.file.Path file) throws java.io.IOException {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      byte[] plain = in.readNBytes(PLAIN_HEADER);
      if (plain.length < PLAIN_HEADER || !Arrays.equals(Arrays.copyOf(plain, MAGIC.length), MAGIC)) {
        return plain.length < PLAIN_HEADER ? "truncated: shorter than a shard header" : "not a shard file (bad magic)";
      }
      ByteBuffer b = ByteBuffer.wrap(plain);
      long bodyLength = Integer.toUnsignedLong(b.getInt(PLAIN_HEADER - 36));
      in.skipNBytes(Math.min(AeadCipher.OVERHEAD, Math.max(0, java.nio.file.Files.size(file) - PLAIN_HEADER)));
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      long read = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
        read += n;
      }
      if (read != bodyLength) {
        return "body is " + read + " bytes, its header says " + bodyLength;
      }
      if (!Arrays.equals(d.digest(), Arrays.copyOfRange(plain, PLAIN_HEADER - 32, PLAIN_HEADER))) {
        return "body does not match its checksum (bit rot)";
      }
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] body(byte[] shard) {
    return body(shard, shard.length);
  }

  /** The body of a shard that is the first {@code length} bytes of {@code shard}, in an array of its own. */
  public static byte[] body(byte[] shard, int length) {
    return Arrays.copyOfRange(shard, HEADER, length);
  }
}
