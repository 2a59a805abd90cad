package org.selfstorage.catalog;

/** What a blob holds: file content, or a directory listing (a tree). */
public enum BlobType {
  DATA,
  TREE;

  public static BlobType fromCode(int code) {
    return values()[code];
  }

  public int code() {
    return ordinal();
  }
}
