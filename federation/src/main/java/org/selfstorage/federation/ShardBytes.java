package org.selfstorage.federation;

import java.util.Objects;

/** A shard as read into a buffer that may be longer: its bytes are the first {@code length} of {@code array}. */
public record ShardBytes(byte[] array, int length) {
  public ShardBytes {
    Objects.requireNonNull(array, "array");
    Objects.checkFromIndexSize(0, length, array.length);
  }

  /** The shard in an array of its own length: {@code array} itself when it fits exactly. */
  public byte[] exact() {
    return length == array.length ? array : java.util.Arrays.copyOf(array, length);
  }
}
