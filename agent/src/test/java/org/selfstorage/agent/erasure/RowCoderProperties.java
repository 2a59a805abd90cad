package org.selfstorage.agent.erasure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RowCoderProperties {

  /** The word-wise XOR agrees with XOR byte by byte, at any offsets and lengths, and only in range. */
  @Property(tries = 500)
  void xor_matchesBytewiseXorInsideTheRangeAndLeavesTheRest(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int at,
      @ForAll @IntRange(min = 0, max = 40) int from,
      @ForAll @IntRange(min = 0, max = 100) int length) {
    Random random = new Random(seed);
    byte[] in = new byte[at + from + length + random.nextInt(9)];
    byte[] out = new byte[from + length + random.nextInt(9)];
    random.nextBytes(in);
    random.nextBytes(out);
    byte[] expected = out.clone();
    for (int i = from; i < from + length; i++) {
      expected[i] ^= in[at + i];
    }

    RowCoder.xor(in, at, out, from, from + length);

    assertArrayEquals(expected, out);
  }
}
