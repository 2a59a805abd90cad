package org.selfstorage.agent.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.crypto.AeadCipher;

/**
 * Turns a blob's plaintext into what goes into a pack, and back: zstd when it pays, then AEAD with
 * the blob id as associated data, so a blob cannot be passed off as another. The first byte of the
 * sealed plaintext says whether the rest is compressed.
 */
public final class BlobSealer {
  private static final byte RAW = 0;
  private static final byte ZSTD = 1;
  /** Compression must save at least this share of the bytes to be kept. */
  private static final double WORTHWHILE = 0.97;
  private static final int SMALLEST_WORTH_COMPRESSING = 128;

  private final AeadCipher cipher;
  private final int level;

  public BlobSealer(AeadCipher cipher, int compressionLevel) {
    this.cipher = cipher;
    this.level = compressionLevel;
  }

  public byte[] seal(BlobId id, byte[] plain, int offset, int length) {
    if (length >= SMALLEST_WORTH_COMPRESSING) {
      byte[] framed = new byte[1 + (int) Zstd.compressBound(length)];
      long n = Zstd.compressByteArray(framed, 1, framed.length - 1, plain, offset, length, level);
      if (!Zstd.isError(n) && n < length * WORTHWHILE) {
        framed[0] = ZSTD;
        return cipher.seal(framed, 0, 1 + (int) n, id.bytes());
      }
    }
    byte[] framed = new byte[1 + length];
    framed[0] = RAW;
    System.arraycopy(plain, offset, framed, 1, length);
    return cipher.seal(framed, 0, framed.length, id.bytes());
  }

  /** Opens a sealed blob; throws if it was altered, or does not decode to rawLength bytes. */
  public byte[] open(BlobId id, byte[] sealed, int offset, int length, int rawLength) {
    byte[] framed = cipher.open(sealed, offset, length, id.bytes());
    if (framed.length == 0) {
      throw new PackFormatException("blob " + id.hex() + " is empty after decryption");
    }
    byte[] plain;
    if (framed[0] == RAW) {
      plain = java.util.Arrays.copyOfRange(framed, 1, framed.length);
    } else if (framed[0] == ZSTD) {
      plain = new byte[rawLength];
      long n;
      try {
        n = Zstd.decompressByteArray(plain, 0, rawLength, framed, 1, framed.length - 1);
      } catch (ZstdException e) {
        // zstd-jni throws rather than returning an error code when the recorded size is too small
        n = -1;
      }
      if (Zstd.isError(n) || n != rawLength) {
        throw new PackFormatException("blob " + id.hex() + " does not decompress to its recorded size");
      }
    } else {
      throw new PackFormatException("blob " + id.hex() + " has unknown encoding " + framed[0]);
    }
    if (plain.length != rawLength) {
      throw new PackFormatException("blob " + id.hex() + " has " + plain.length + " bytes, expected " + rawLength);
    }
    return plain;
  }
}
