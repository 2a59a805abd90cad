package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlobIndexTest {

  static byte[] id(SplittableRandom random) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    return id;
  }

  @Test
  void add_newId_returnsTrueOnceAndIsThenContained() {
    BlobIndex index = new BlobIndex(10);
    byte[] id = id(new SplittableRandom(1));

    assertFalse(index.contains(id));
    assertTrue(index.add(id));
    assertTrue(index.contains(id));
    assertFalse(index.add(id), "a second add of the same id is not new");
    assertEquals(1, index.size());
  }

  @Test
  void contains_idThatWasNeverAdded_isFalse() {
    BlobIndex index = new BlobIndex(10);
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 10; i++) {
      index.add(id(random));
    }

    assertFalse(index.contains(id(random)));
    assertFalse(index.contains(new byte[32]));
  }

  @Test
  void add_idsSharingTheFirst16Bytes_areOneEntry() {
    // documented: the index keeps 128 bits of each id, which the keyed hash makes unique in practice
    BlobIndex index = new BlobIndex(10);
    byte[] a = id(new SplittableRandom(3));
    byte[] b = a.clone();
    b[31] ^= 1;

    index.add(a);

    assertTrue(index.contains(b));
    assertFalse(index.add(b));
  }

  @Test
  void add_idWhoseFirst16BytesAreZero_isNeverRecordedSoAlwaysNew() {
    BlobIndex index = new BlobIndex(10);
    byte[] zero = new byte[32];
    zero[20] = 5;

    assertTrue(index.add(zero));
    assertTrue(index.add(zero), "the empty-slot marker cannot be recorded; the blob is simply stored again");
    assertFalse(index.contains(zero));
    assertEquals(0, index.size());
  }

  @Test
  void add_pastTheInitialCapacity_growsAndKeepsEveryId() {
    BlobIndex index = new BlobIndex(0);
    long initial = index.memoryBytes();
    SplittableRandom random = new SplittableRandom(4);
    byte[][] ids = new byte[10_000][];

    for (int i = 0; i < ids.length; i++) {
      ids[i] = id(random);
      assertTrue(index.add(ids[i]));
    }

    assertEquals(ids.length, index.size());
    assertTrue(index.memoryBytes() > initial);
    for (byte[] id : ids) {
      assertTrue(index.contains(id));
      assertFalse(index.add(id));
    }
    assertEquals(ids.length, index.size());
  }

  @Test
  void add_millionRandomIds_hasNoFalseNegativesAndNoFalsePositives() {
    int n = 1_000_000;
    BlobIndex index = new BlobIndex(n / 4); // grows twice on the way
    SplittableRandom adding = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      assertTrue(index.add(id(adding)));
    }

    SplittableRandom again = new SplittableRandom(5);
    int missing = 0;
    for (int i = 0; i < n; i++) {
      if (!index.contains(id(again))) {
        missing++;
      }
    }
    int falsePositives = 0;
    SplittableRandom others = new SplittableRandom(6);
    for (int i = 0; i < n; i++) {
      if (index.contains(id(others))) {
        falsePositives++;
      }
    }

    assertEquals(n, index.size());
    assertEquals(0, missing, "ids added but reported unknown");
    assertEquals(0, falsePositives, "ids never added but reported known");
    // at most a 0.75 load factor, and never more than twice the room needed
    assertTrue(index.memoryBytes() >= 16L * n / 0.75, "memory " + index.memoryBytes());
    assertTrue(index.memoryBytes() <= 2 * 16L * n / 0.75, "memory " + index.memoryBytes());
  }

  @Test
  void memoryBytes_forExpectedCount_isSixteenBytesPerSlotAtMostThreeQuartersFull() {
    assertEquals(16L * 16, new BlobIndex(0).memoryBytes());
    assertEquals(16L * 16, new BlobIndex(11).memoryBytes());
    assertEquals(16L * 32, new BlobIndex(12).memoryBytes());
    assertEquals(16L * (1 << 24), new BlobIndex(10_000_000).memoryBytes());
  }

  /** Ids with repeats, ids differing only past byte 16, and ids with an all-zero prefix. */
  @Provide
  Arbitrary<List<byte[]>> idLists() {
    Arbitrary<byte[]> fresh = Arbitraries.bytes().array(byte[].class).ofSize(32);
    Arbitrary<byte[]> fromPool = Arbitraries.integers().between(0, 15).flatMap(prefix ->
        Arbitraries.integers().between(0, 3).map(suffix -> {
          byte[] id = new byte[32];
          if (prefix > 0) {
            new SplittableRandom(prefix).nextBytes(id);
          }
          id[31] = suffix.byteValue();
          return id;
        }));
    return Arbitraries.oneOf(fresh, fromPool).list().ofMaxSize(300);
  }

  @Property(tries = 200)
  void add_anySequenceOfIds_agreesWithASetOfPrefixes(@ForAll("idLists") List<byte[]> ids,
      @ForAll @IntRange(max = 400) int expected) {
    BlobIndex index = new BlobIndex(expected);
    Set<String> model = new HashSet<>();
    for (byte[] id : ids) {
      boolean zeroPrefix = HexFormat.of().formatHex(id, 0, 16).equals("0".repeat(32));
      boolean isNew = model.add(HexFormat.of().formatHex(id, 0, 16));

      assertEquals(isNew || zeroPrefix, index.add(id));
      if (zeroPrefix) {
        model.remove(HexFormat.of().formatHex(id, 0, 16));
      }
    }

    assertEquals(model.size(), index.size());
    for (byte[] id : ids) {
      boolean zeroPrefix = HexFormat.of().formatHex(id, 0, 16).equals("0".repeat(32));
      assertEquals(!zeroPrefix, index.contains(id));
    }
  }
}
