package org.selfstorage.agent.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.crypto.AeadCipher;

/**
 * Turns a blob's plaintext into what goes into a pack, and back: zstd when it pays, then AEAD with
 * the blob id as associated data, so a blob cannot be passed off as another. The first byte of the
 * sealed plaintext says whether the rest is compressed.
 *
 * <p>Whether zstd pays is first asked of three 16 KiB samples (start, middle, end) of a large blob:
 * media and archives make up most of the bytes of a typical home, and compressing a whole 1 MiB
 * chunk of them only to throw the result away was the backup's largest CPU cost (docs/design.md,
 * Performance). Compression contexts are pooled per sealer, because zstd-jni's one-shot calls build
 * and free a context for every blob; {@link #close} frees them.
 */
public final class BlobSealer implements AutoCloseable {
  private static final byte RAW = 0;
  private static final byte ZSTD = 1;
  /** Compression must save at least this share of the bytes to be kept. */
  private static final double WORTHWHILE = 0.97;
  private static final int SMALLEST_WORTH_COMPRESSING = 128;
  private static final int SAMPLE = 16 << 10;
  /** Below this a blob is compressed whole at once: the samples would be most of it. */
  private static final int SAMPLED_ABOVE = 8 * SAMPLE;

  private static final byte[] RAW_FRAME = {RAW};
  private static final byte[] ZSTD_FRAME = {ZSTD};

  private final AeadCipher cipher;
  private final int level;
  private final java.util.concurrent.ConcurrentLinkedQueue<Compressor> compressors =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  public BlobSealer(AeadCipher cipher, int compressionLevel) {
    this.cipher = cipher;
    this.level = compressionLevel;
  }

  /** A zstd context and the buffer it compresses into, used by one blob at a time. */
  private static final class Compressor {
    final ZstdCompressCtx ctx;
    byte[] out = new byte[0];

    Compressor(int level) {
      ctx = new ZstdCompressCtx();
      ctx.setLevel(level);
    }
  }

  /**
   * A blob ready to be sealed: the bytes that will be encrypted, which are its plaintext as given
   * or its compressed form in a buffer this sealer lends until {@link #close}. Lets a pack writer
   * seal the blob straight into its pack buffer ({@link #sealInto}) with no copy in between.
   */
  public final class Framed implements AutoCloseable {
    private final byte[] frame;
    private final byte[] body;
    private final int offset;
    private final int length;
    private Compressor lent;

    private Framed(byte[] frame, byte[] body, int offset, int length, Compressor lent) {
      this.frame = frame;
      this.body = body;
      this.offset = offset;
      this.length = length;
      this.lent = lent;
    }

    /** The bytes {@link #sealInto} writes. */
    public int sealedLength() {
      return AeadCipher.OVERHEAD + 1 + length;
    }

    /** Seals the blob into {@code out} at {@code outOffset}; writes {@link #sealedLength()} bytes. */
    public void sealInto(BlobId id, byte[] out, int outOffset) {
      cipher.sealInto(frame, body, offset, length, id.bytes(), out, outOffset);
    }

    /** Gives the compression buffer back; the caller's plaintext is never held. */
    @Override
    public void close() {
      if (lent != null) {
        compressors.offer(lent);
        lent = null;
      }
    }
  }

  public byte[] seal(BlobId id, byte[] plain, int offset, int length) {
    try (Framed framed = frame(plain, offset, length)) {
      byte[] out = new byte[framed.sealedLength()];
      framed.sealInto(id, out, 0);
      return out;
    }
  }

  /**
   * Compresses the blob when that pays (see the class comment); {@code plain} must not change
   * until the result is sealed and closed.
   */
  public Framed frame(byte[] plain, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, plain.length);
    if (length >= SMALLEST_WORTH_COMPRESSING) {
      Compressor c = compressor();
      boolean lent = false;
      try {
        if (length <= SAMPLED_ABOVE || samplesCompress(c, plain, offset, length)) {
          int bound = (int) Zstd.compressBound(length);
          if (c.out.length < bound) {
            c.out = new byte[BufferPool.lengthFor(bound)]; // whole heap regions, like the pools'
          }
          int n = c.ctx.compressByteArray(c.out, 0, bound, plain, offset, length);
          if (n < length * WORTHWHILE) {
            lent = true;
            return new Framed(ZSTD_FRAME, c.out, 0, n, c);
          }
        }
      } catch (ZstdException e) {
        // cannot happen with a buffer of compressBound; stored raw if it ever does
      } finally {
        if (!lent) {
          compressors.offer(c);
        }
      }
    }
    return new Framed(RAW_FRAME, plain, offset, length, null);
  }

  /** Whether three samples of the blob (start, middle, end) shrink enough for zstd to pay. */
  private static boolean samplesCompress(Compressor c, byte[] plain, int offset, int length) {
    int bound = (int) Zstd.compressBound(SAMPLE);
    if (c.out.length < bound) {
      c.out = new byte[bound];
    }
    long compressed = 0;
    for (int start : new int[] {offset, offset + (length - SAMPLE) / 2, offset + length - SAMPLE}) {
      compressed += c.ctx.compressByteArray(c.out, 0, bound, plain, start, SAMPLE);
    }
    return compressed < 3L * SAMPLE * WORTHWHILE;
  }

  private Compressor compressor() {
    Compressor c = compressors.poll();
    return c != null ? c : new Compressor(level);
  }

  /** Frees the compression contexts (native memory); the sealer can still be used afterwards. */
  @Override
  public void close() {
    for (Compressor c; (c = compressors.poll()) != null; ) {
      c.ctx.close();
    }
  }

  /** Opens a sealed blob; throws if it was altered, or does not decode to rawLength bytes. */
  public byte[] open(BlobId id, byte[] sealed, int offset, int length, int rawLength) {
    java.nio.ByteBuffer view = openView(id, sealed, offset, length, rawLength);
    byte[] a = view.array();
    if (view.position() == 0 && view.limit() == a.length) {
      return a;
    }
    return java.util.Arrays.copyOfRange(a, view.position(), view.limit());
  }

  /**
   * As {@link #open}, as a buffer over the plaintext: a blob stored raw (incompressible media, the
   * bulk of most data) is not copied out of its decrypted frame, one copy fewer per byte restored.
   */
  public java.nio.ByteBuffer openView(BlobId id, byte[] sealed, int offset, int length, int rawLength) {
    try (Scratch scratch = new Scratch(1)) { // exact sizes: the arrays are handed out as they are
      return openView(id, sealed, offset, length, rawLength, scratch);
    }
  }

  /**
   * As {@link #openView(BlobId, byte[], int, int, int)}, into {@code scratch}'s buffers: the view is
   * valid until the next use of {@code scratch}. A restore opens blob after blob this way and
   * allocates nothing per blob.
   */
  public java.nio.ByteBuffer openView(BlobId id, byte[] sealed, int offset, int length, int rawLength,
      Scratch scratch) {
    byte[] framed = scratch.framed(length - AeadCipher.OVERHEAD);
    int framedLength = cipher.openInto(sealed, offset, length, id.bytes(), framed, 0);
    if (framedLength == 0) {
      throw new PackFormatException("blob " + id.hex() + " is empty after decryption");
    }
    java.nio.ByteBuffer plain;
    if (framed[0] == RAW) {
      plain = java.nio.ByteBuffer.wrap(framed, 1, framedLength - 1);
    } else if (framed[0] == ZSTD) {
      byte[] out = scratch.plain(rawLength);
      long n;
      try {
        n = scratch.decompressor().decompressByteArray(out, 0, rawLength, framed, 1, framedLength - 1);
      } catch (ZstdException e) {
        n = -1; // a corrupt frame, or one larger than the recorded size
      }
      if (n != rawLength) {
        throw new PackFormatException("blob " + id.hex() + " does not decompress to its recorded size");
      }
      plain = java.nio.ByteBuffer.wrap(out, 0, rawLength);
    } else {
      throw new PackFormatException("blob " + id.hex() + " has unknown encoding " + framed[0]);
    }
    if (plain.remaining() != rawLength) {
      throw new PackFormatException("blob " + id.hex() + " has " + plain.remaining() + " bytes, expected " + rawLength);
    }
    return plain;
  }

  /**
   * The buffers and zstd context that {@link #openView(BlobId, byte[], int, int, int, Scratch)}
   * opens into, for one thread at a time. Buffers grow to the largest blob seen and stay; close
   * frees the zstd context (native memory).
   */
  public static final class Scratch implements AutoCloseable {
    private final int grain;
    private byte[] framed = new byte[0];
    private byte[] plain = new byte[0];
    private ZstdDecompressCtx decompressor;

    public Scratch() {
      this(256 << 10); // sizes rounded up, so a few large blobs fit all that follow
    }

    private Scratch(int grain) {
      this.grain = grain;
    }

    private byte[] framed(int size) {
      return framed = atLeast(framed, size);
    }

    private byte[] plain(int size) {
      return plain = atLeast(plain, size);
    }

    private byte[] atLeast(byte[] b, int size) {
      if (b.length >= size) {
        return b;
      }
      // from half a heap region up, whole regions (see BufferPool): fewer steps, none wasted
      return size >= BufferPool.LARGE ? new byte[BufferPool.lengthFor(size)]
          : new byte[(int) (((long) size + grain - 1) / grain * grain)];
    }

    private ZstdDecompressCtx decompressor() {
      if (decompressor == null) {
        decompressor = new ZstdDecompressCtx();
      }
      return decompressor;
    }

    @Override
    public void close() {
      if (decompressor != null) {
        decompressor.close();
        decompressor = null;
      }
    }
  }
}
