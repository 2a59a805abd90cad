package org.selfstorage.catalog;

import java.util.Arrays;
import java.util.HexFormat;

/** Identifies a snapshot: 16 bytes, shown as lower-case hex. */
public record SnapshotId(byte[] bytes) implements Comparable<SnapshotId> {
  public static final int LENGTH = 16;

  public SnapshotId {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a snapshot id has " + LENGTH + " bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static SnapshotId fromHex(String hex) {
    return new SnapshotId(HexFormat.of().parseHex(hex));
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
    return o instanceof SnapshotId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(SnapshotId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
