package org.selfstorage.catalog;

import java.util.HexFormat;

/** Identifies a pack: 16 bytes, shown as lower-case hex. */
public record PackId(IdBytes value) implements Comparable<PackId> {
  public static final int LENGTH = 16;

  public PackId(byte[] bytes) {
    this(new IdBytes(bytes, LENGTH, "pack"));
  }

  public static PackId fromHex(String hex) {
    return new PackId(HexFormat.of().parseHex(hex));
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
  public int compareTo(PackId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
