package org.selfstorage.agent.pack;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;

/** Collects sealed blobs of one type into a pack of about {@code targetSize} bytes. Not thread-safe. */
public final class PackWriter {
  /**
   * The size data packs are filled to. Half the 16 MiB of restic and of the design brief: the
   * buffers of the packs being filled and placed are most of a backup's memory, and halving them
   * took the agent's peak RSS in the bench's backup down by 35-45 MB at no cost in time
   * (docs/design.md, Departures); shards of 4 MiB still move at full disk and network speed.
   */
  public static final int TARGET_SIZE = 8 << 20;

  private final int targetSize;
  private final AeadCipher headerCipher;
  private final SecureRandom random;
  private byte[] buf;
  private int length;
  private PackId id;
  private List<BlobEntry> entries = new ArrayList<>();

  private final int initialCapacity;
  private final BufferPool pool;
  /** Room left after the header: an erasure code pads a pack to a multiple of k (at most 255). */
  private static final int SHARD_PADDING = 256;

  /**
   * @param initialCapacity bytes to allocate for each new pack; the target size plus one largest
   *     blob means no copying while filling, a small value suits packs that usually stay small
   */
  public PackWriter(int targetSize, int initialCapacity, AeadCipher headerCipher, SecureRandom random) {
    this(targetSize, initialCapacity, headerCipher, random, null);
  }

  /**
   * As above, with each pack's buffer taken from {@code pool}; whoever places a finished pack
   * gives the buffer back with {@link SealedPack#release()}. Such buffers do not grow: a blob that
   * would not fit finishes the pack (see {@link #add(BlobId, BlobType, BlobSealer.Framed, int)}),
   * so every buffer in the pool stays {@code initialCapacity} bytes.
   */
  public PackWriter(int targetSize, int initialCapacity, AeadCipher headerCipher, SecureRandom random,
      BufferPool pool) {
    this.targetSize = targetSize;
    this.initialCapacity = initialCapacity;
    this.headerCipher = headerCipher;
    this.random = random;
    this.pool = pool;
    reset();
  }

  private void reset() {
    byte[] raw = new byte[PackId.LENGTH];
    random.nextBytes(raw);
    id = new PackId(raw);
    buf = pool == null ? new byte[initialCapacity] : pool.take(initialCapacity);
    length = 0;
    entries = new ArrayList<>();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public boolean isFull() {
    return length >= targetSize;
  }

  public int length() {
    return length;
  }

  public void add(BlobId blob, BlobType type, byte[] sealed, int rawLength) {
    ensure(length + sealed.length);
    System.arraycopy(sealed, 0, buf, length, sealed.length);
    entries.add(new BlobEntry(blob, id, length, sealed.length, rawLength, type));
    length += sealed.length;
  }

  /**
   * Appends a blob, sealing it straight into the pack's buffer: one copy fewer per byte than
   * sealing it apart and adding the result. With pooled buffers, a blob that does not fit beside
   * what the pack holds (and the header the pack will then need) finishes the pack first.
   *
   * @return the pack finished to make room, or null; the blob is in the open pack either way
   */
  public SealedPack add(BlobId blob, BlobType type, BlobSealer.Framed framed, int rawLength) {
    int n = framed.sealedLength();
    SealedPack finished = null;
    if (pool != null && !entries.isEmpty()
        && (long) length + n + PackHeader.sealedLength(entries.size() + 1) + SHARD_PADDING > buf.length) {
      finished = finish();
    }
    ensure(length + n);
    framed.sealInto(blob, buf, length);
    entries.add(new BlobEntry(blob, id, length, n, rawLength, type));
    length += n;
    return finished;
  }

  private void ensure(int needed) {
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needed + (64 << 10), Math.min(buf.length * 2, targetSize + (4 << 20))));
    }
  }

  /** Seals the header, returns the finished pack, and starts a new one. */
  public SealedPack finish() {
    byte[] header = PackHeader.seal(id, entries, headerCipher);
    ensure(length + header.length + PackHeader.TRAILER);
    System.arraycopy(header, 0, buf, length, header.length);
    length += header.length;
    ByteBuffer.wrap(buf, length, PackHeader.TRAILER).putInt(header.length).put(PackHeader.MAGIC);
    length += PackHeader.TRAILER;
    SealedPack pack = new SealedPack(id, buf, length, List.copyOf(entries), pool);
    reset();
    return pack;
  }
}
