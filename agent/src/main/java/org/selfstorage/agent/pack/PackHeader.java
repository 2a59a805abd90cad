package org.selfstorage.agent.pack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;

/**
 * The encrypted list of a pack's blobs, at its end, so that a pack describes itself to whoever
 * holds the key and a lost catalog can be rebuilt from packs alone.
 *
 * <pre>
 * pack    = blob* sealed-header u32(len(sealed-header)) "SSP1"
 * header  = u8 version=1, u32 count, count * (u8 type, 32 id, u32 offset, u32 length, u32 raw-length)
 * sealed  = AEAD(pack-header key, header, associated data = "selfstorage/pack/v1" || pack id)
 * </pre>
 */
public final class PackHeader {
  static final byte[] MAGIC = "SSP1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AD_PREFIX = "selfstorage/pack/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int ENTRY = 1 + BlobId.LENGTH + 4 + 4 + 4;
  public static final int TRAILER = 8;

  private PackHeader() {}

  /** Bytes the sealed header and trailer of a pack of {@code count} blobs take at its end. */
  static int sealedLength(int count) {
    return 5 + count * ENTRY + AeadCipher.OVERHEAD + TRAILER;
  }

  static byte[] associatedData(PackId id) {
    byte[] ad = new byte[AD_PREFIX.length + PackId.LENGTH];
    System.arraycopy(AD_PREFIX, 0, ad, 0, AD_PREFIX.length);
    System.arraycopy(id.bytes(), 0, ad, AD_PREFIX.length, PackId.LENGTH);
    return ad;
  }

  static byte[] seal(PackId id, List<BlobEntry> entries, AeadCipher cipher) {
    ByteBuffer b = ByteBuffer.allocate(5 + entries.size() * ENTRY);
    b.put((byte) 1).putInt(entries.size());
    for (BlobEntry e : entries) {
      b.put((byte) e.type().code()).put(e.id().bytes()).putInt(e.offset()).putInt(e.length()).putInt(e.rawLength());
    }
    return cipher.seal(b.array(), 0, b.position(), associatedData(id));
  }

  /** Reads the blob list from a whole pack; throws if the pack is damaged or belongs elsewhere. */
  public static List<BlobEntry> read(PackId id, byte[] pack, int length, AeadCipher cipher) {
    if (length < TRAILER) {
      throw new PackFormatException("pack " + id.hex() + " is too short");
    }
    ByteBuffer t = ByteBuffer.wrap(pack, length - TRAILER, TRAILER);
    int headerLength = t.getInt();
    byte[] magic = new byte[4];
    t.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC) || headerLength < 0 || headerLength > length - TRAILER) {
      throw new PackFormatException("pack " + id.hex() + " has no valid trailer");
    }
    int start = length - TRAILER - headerLength;
    byte[] plain = cipher.open(pack, start, headerLength, associatedData(id));
    ByteBuffer b = ByteBuffer.wrap(plain);
    if (plain.length < 5) {
      throw new PackFormatException("pack " + id.hex() + " header is malformed");
    }
    if (b.get() != 1) {
      throw new PackFormatException("pack " + id.hex() + " header version is not supported");
    }
    int count = b.getInt();
    if (count < 0 || (long) count * ENTRY != b.remaining()) {
      throw new PackFormatException("pack " + id.hex() + " header is malformed");
    }
    List<BlobEntry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int code = b.get();
      byte[] blob = new byte[BlobId.LENGTH];
      b.get(blob);
      int offset = b.getInt();
      int blobLength = b.getInt();
      int rawLength = b.getInt();
      // authentic but odd content (a newer writer, our own bug) is a format error, not an index error later
      if (code < 0 || code >= BlobType.values().length) {
        throw new PackFormatException("pack " + id.hex() + " lists a blob of unknown type " + code);
      }
      if (offset < 0 || blobLength < 0 || rawLength < 0 || (long) offset + blobLength > start) {
        throw new PackFormatException("pack " + id.hex() + " lists a blob outside the pack");
      }
      out.add(new BlobEntry(new BlobId(blob), id, offset, blobLength, rawLength, BlobType.fromCode(code)));
    }
    return out;
  }
}
