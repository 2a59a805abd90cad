package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectFileWriterTest {
  @TempDir Path dir;

  /** Lengths at and around the block and staging-buffer boundaries, where padding and truncation act. */
  private static final int[] LENGTHS = {0, 1, 4095, 4096, 4097, StagingBuffers.SIZE - 1, StagingBuffers.SIZE,
      StagingBuffers.SIZE + 1, 3 * StagingBuffers.SIZE + 12345};

  private static StagingBuffers buffers(boolean direct) {
    return direct ? StagingBuffers.direct() : StagingBuffers.buffered();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void writesExactlyTheBytesGiven_inPiecesOfAnySize(boolean direct) throws IOException {
    StagingBuffers buffers = buffers(direct);
    SplittableRandom random = new SplittableRandom(7);
    for (int length : LENGTHS) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      Path file = dir.resolve("f" + length + "-" + direct);
      try (DirectFileWriter w = DirectFileWriter.create(file, buffers, true)) {
        for (int pos = 0; pos < length; ) {
          int n = Math.min(length - pos, 1 + random.nextInt(300_000));
          w.write(data, pos, n);
          pos += n;
        }
        assertEquals(length, w.length());
        w.finish().force(true);
      }
      assertArrayEquals(data, Files.readAllBytes(file), "length " + length);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void refusesToReplaceAnExistingFile(boolean direct) throws IOException {
    Path file = Files.writeString(dir.resolve("there"), "kept");
    assertThrows(FileAlreadyExistsException.class, () -> DirectFileWriter.create(file, buffers(direct), true));
    assertEquals("kept", Files.readString(file));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void refusesALinkPlantedInTheFilesPlace(boolean direct) throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "kept");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    assertThrows(IOException.class, () -> DirectFileWriter.create(link, buffers(direct), true));
    assertEquals("kept", Files.readString(target));
  }

  @org.junit.jupiter.api.Test
  void buffersAreReused_andClosingTwiceReturnsABufferOnce() throws IOException {
    StagingBuffers buffers = StagingBuffers.direct();
    DirectFileWriter w = DirectFileWriter.create(dir.resolve("a"), buffers, true);
    w.write(new byte[10], 0, 10);
    w.finish();
    w.close();
    w.close();
    var first = buffers.take();
    var second = buffers.take();
    assertFalse(first == second, "a buffer given back twice would be lent to two writers at once");
    assertTrue(first.isDirect() && first.capacity() == StagingBuffers.SIZE);
  }
}
