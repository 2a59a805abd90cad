package org.selfstorage.catalog;

import java.util.HexFormat;

/** Identifies a snapshot: 16 bytes, shown as lower-case hex. */
public record SnapshotId(IdBytes value) implements Comparable<SnapshotId> {
  public static final int LENGTH = 16;

  public SnapshotId(byte[] bytes) {
    this(new IdBytes(bytes, LENGTH, "snapshot"));
  }

  public static SnapshotId fromHex(String hex) {
    return new SnapshotId(HexFormat.of().parseHex(hex));
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
  public int compareTo(SnapshotId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
