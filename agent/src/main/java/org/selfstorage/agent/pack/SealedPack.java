package org.selfstorage.agent.pack;

import java.util.List;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.PackId;

/**
 * A finished pack: its bytes (blobs, then the sealed header and trailer; the first {@code length}
 * bytes of {@code bytes}) and its blob entries. {@code pool}, when not null, takes the buffer back
 * once the pack is placed.
 */
public record SealedPack(PackId id, byte[] bytes, int length, List<BlobEntry> blobs, BufferPool pool) {

  public SealedPack(PackId id, byte[] bytes, int length, List<BlobEntry> blobs) {
    this(id, bytes, length, blobs, null);
  }

  /** Gives the buffer back for a later pack; nothing may read {@link #bytes()} afterwards. */
  public void release() {
    if (pool != null) {
      pool.give(bytes);
    }
  }
}
