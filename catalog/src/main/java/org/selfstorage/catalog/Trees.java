package org.selfstorage.catalog;

import java.util.Optional;

/** Plaintext of tree blobs, kept locally so listings and incremental backups read no store. */
public final class Trees {
  private final Db db;

  Trees(Db db) {
    this.db = db;
  }

  public Optional<byte[]> get(BlobId id) {
    return db.queryOne("SELECT data FROM trees WHERE id = ?", st -> st.setBytes(1, id.bytes()), rs -> rs.getBytes(1));
  }

  public void put(BlobId id, byte[] data) {
    db.update("INSERT OR IGNORE INTO trees(id, data) VALUES (?, ?)", st -> {
      st.setBytes(1, id.bytes());
      st.setBytes(2, data);
    });
  }

  /** Drops cached trees whose blob no pack holds any more (after prune); returns how many. */
  public int dropUnreferenced() {
    return db.update("DELETE FROM trees WHERE id NOT IN (SELECT id FROM blobs)", Db.NONE);
  }
}
