package org.selfstorage.agent.tree;

import org.selfstorage.catalog.BlobId;

/**
 * One piece of a file's content: a data blob, or a run of zeros ({@code blob == null}) that is
 * not stored and is restored as a hole.
 */
public record ChunkRef(BlobId blob, int length) {
  public static ChunkRef zeros(int length) {
    return new ChunkRef(null, length);
  }

  public boolean isZeros() {
    return blob == null;
  }
}
