package org.selfstorage.agent.backup;

/**
 * The set of known blob ids, for dedupe, with no Java object per blob: the first 16 bytes of each
 * id in two parallel long arrays, open addressing with linear probing. 128 bits of a keyed hash
 * make a false "known" astronomically unlikely (about n^2 / 2^129) at any realistic n, and cost
 * 16 bytes per blob plus slack: 10 million blobs take about 256 MiB.
 */
public final class BlobIndex {
  private static final double MAX_LOAD = 0.75;
  private long[] hi;
  private long[] lo;
  private int mask;
  private int size;

  public BlobIndex(long expected) {
    long want = Math.max(16, (long) Math.ceil(expected / MAX_LOAD) + 1);
    int capacity = (int) Math.min(1 << 30, Long.highestOneBit(want - 1) << 1);
    hi = new long[capacity];
    lo = new long[capacity];
    mask = capacity - 1;
  }

  public int size() {
    return size;
  }

  /** Bytes held by the tables. */
  public long memoryBytes() {
    return 16L * hi.length;
  }

  public boolean contains(byte[] id) {
    long h = readLong(id, 0);
    long l = readLong(id, 8);
    if (h == 0 && l == 0) {
      return false;
    }
    for (int i = slot(h); ; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return true;
      }
      if (hi[i] == 0 && lo[i] == 0) {
        return false;
      }
    }
  }

  /** Adds the id; returns true when it was not known before. */
  public boolean add(byte[] id) {
    long h = readLong(id, 0);
    long l = readLong(id, 8);
    if (h == 0 && l == 0) {
      // the empty-slot marker: never recorded, so such a blob is simply stored again
      return true;
    }
    if (size + 1 > hi.length * MAX_LOAD) {
      grow();
    }
    return insert(h, l);
  }

  private boolean insert(long h, long l) {
    for (int i = slot(h); ; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return false;
      }
      if (hi[i] == 0 && lo[i] == 0) {
        hi[i] = h;
        lo[i] = l;
        size++;
        return true;
      }
    }
  }

  private void grow() {
    long[] oldHi = hi;
    long[] oldLo = lo;
    hi = new long[oldHi.length * 2];
    lo = new long[oldLo.length * 2];
    mask = hi.length - 1;
    size = 0;
    for (int i = 0; i < oldHi.length; i++) {
      if (oldHi[i] != 0 || oldLo[i] != 0) {
        insert(oldHi[i], oldLo[i]);
      }
    }
  }

  private int slot(long h) {
    // the ids are already uniform (keyed hash); mix anyway so biased test ids spread too
    long x = h * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32)) & mask;
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }
}
