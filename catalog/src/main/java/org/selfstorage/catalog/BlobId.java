package org.selfstorage.catalog;

import java.util.HexFormat;

/** Identifies a blob: 32 bytes, shown as lower-case hex. */
public record BlobId(IdBytes value) implements Comparable<BlobId> {
  public static final int LENGTH = 32;

  public BlobId(byte[] bytes) {
    this(new IdBytes(bytes, LENGTH, "blob"));
  }

  public static BlobId fromHex(String hex) {
    return new BlobId(HexFormat.of().parseHex(hex));
  }

  public byte[] bytes() {
    return value.toArray();
  }

  public String hex() {
    return value.hex();
  }

  /** The first 8 hex digits, as shown to users. */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public int compareTo(BlobId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
