package org.selfstorage.catalog;

import java.util.Arrays;
import java.util.HexFormat;

/** The immutable bytes inside an id record, compared by content and shown as lower-case hex. */
public final class IdBytes implements Comparable<IdBytes> {
  private final byte[] bytes;

  IdBytes(byte[] bytes, int length, String kind) {
    if (bytes.length != length) {
      throw new IllegalArgumentException("a " + kind + " id has " + length + " bytes, not " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdBytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(IdBytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
