package org.selfstorage.catalog;

import java.util.Arrays;
import java.util.HexFormat;

/** Identifies a blob: 32 bytes, shown as lower-case hex. */
public record BlobId(byte[] bytes) implements Comparable<BlobId> {
  public static final int LENGTH = 32;

  public BlobId {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a blob id has " + LENGTH + " bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static BlobId fromHex(String hex) {
    return new BlobId(HexFormat.of().parseHex(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 8 hex digits, as shown to users. */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlobId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(BlobId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
