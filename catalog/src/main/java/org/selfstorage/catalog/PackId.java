package org.selfstorage.catalog;

import java.util.Arrays;
import java.util.HexFormat;

/** Identifies a pack: 16 bytes, shown as lower-case hex. */
public record PackId(byte[] bytes) implements Comparable<PackId> {
  public static final int LENGTH = 16;

  public PackId {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a pack id has " + LENGTH + " bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static PackId fromHex(String hex) {
    return new PackId(HexFormat.of().parseHex(hex));
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
    return o instanceof PackId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(PackId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
