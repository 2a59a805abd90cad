package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measurement: the dedupe index of a large repository must fit in memory. The assertion is on the
 * bytes the index holds; the time is printed for the record only.
 */
@Tag("measurement")
class BlobIndexMemoryTest {
  private static final int BLOBS = 10_000_000;
  private static final long LIMIT = 320L << 20;

  @Test
  void memoryBytes_tenMillionBlobs_staysWithin320MiB() {
    long start = System.nanoTime();
    // sized as Archiver sizes it for a repository that already holds this many blobs
    BlobIndex index = new BlobIndex(BLOBS + 1024);
    SplittableRandom random = new SplittableRandom(42);
    byte[] id = new byte[32];
    for (int i = 0; i < BLOBS; i++) {
      random.nextBytes(id);
      index.add(id);
    }
    long built = System.nanoTime();

    SplittableRandom again = new SplittableRandom(42);
    int sampled = 0;
    for (int i = 0; i < BLOBS; i++) {
      again.nextBytes(id);
      if (i % 1000 == 0) {
        assertTrue(index.contains(id), "blob " + i + " was added but is not found");
        sampled++;
      }
    }
    SplittableRandom others = new SplittableRandom(43);
    int falsePositives = 0;
    for (int i = 0; i < 10_000; i++) {
      others.nextBytes(id);
      if (index.contains(id)) {
        falsePositives++;
      }
    }
    long checked = System.nanoTime();

    long bytes = index.memoryBytes();
    System.out.printf("BlobIndex measurement: %,d blobs, memoryBytes = %,d (%.1f MiB, %.1f bytes per blob);"
            + " built in %d ms; %,d lookups (with the ids regenerated) in %d ms%n",
        index.size(), bytes, bytes / 1048576.0, bytes / (double) index.size(), (built - start) / 1_000_000,
        sampled + 10_000, (checked - built) / 1_000_000);
    assertEquals(BLOBS, index.size());
    assertEquals(10_000, sampled);
    assertEquals(0, falsePositives);
    assertTrue(bytes <= LIMIT, "the index of " + BLOBS + " blobs takes " + bytes + " bytes, over " + LIMIT);
  }
}
