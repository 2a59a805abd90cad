package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectFileReaderTest {
  private static final int STEP = DirectFileReader.STEP;

  @TempDir Path dir;
  private final ByteBuffer stage = DirectFileReader.newStage();

  @Test
  void readsEveryByte_ofFilesAroundTheStepAndBlockSizes_inAnyReadSize() throws IOException {
    Random random = new Random(3);
    int[] sizes = {0, 1, 511, 4095, 4096, 4097, STEP - 1, STEP, STEP + 1, 3 * STEP + 12_345};
    int[] reads = {1, 7, 4096, 65_537, STEP, 5 * STEP / 2};
    for (int size : sizes) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      Path file = Files.write(dir.resolve("f" + size), content);
      for (int read : reads) {
        if ((long) size / Math.max(1, read) > 20_000) {
          continue; // byte-sized reads of a 3 MiB file prove nothing more than of a 1 MiB one
        }
        try (ReadableByteChannel ch = DirectFileReader.open(file, stage)) {
          assertArrayEquals(content, readAll(ch, read), size + " bytes read " + read + " at a time");
        }
      }
    }
  }

  @Test
  void readsPastTheCache_whereTheFileSystemAllowsIt() throws IOException {
    Path file = Files.write(dir.resolve("f"), new byte[3 * STEP]);
    try (ReadableByteChannel ch = DirectFileReader.open(file, stage)) {
      // the build's temporary directory is on ext4 here; elsewhere this only says which path ran
      assumeTrue(ch instanceof DirectFileReader, "O_DIRECT refused by the file system of " + dir);
      assertEquals(3 * STEP, readAll(ch, STEP).length);
    }
  }

  @Test
  void aTmpfsFile_isReadWhole_whicheverWayItsFileSystemTakes() throws IOException {
    // tmpfs refused O_DIRECT before Linux 6.6 (then the plain channel is used) and takes it since
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()), "no tmpfs at /dev/shm");
    Path file = Files.createTempFile(shm, "direct-reader", ".bin");
    try {
      byte[] content = new byte[STEP + 333];
      new Random(4).nextBytes(content);
      Files.write(file, content);
      try (ReadableByteChannel ch = DirectFileReader.open(file, stage)) {
        assertArrayEquals(content, readAll(ch, 4096));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aShortDirectReadInTheMiddle_orAFailedOne_continuesThroughTheCache_withoutSkippingAByte() throws IOException {
    byte[] content = new byte[4 * STEP + 99];
    new Random(5).nextBytes(content);
    Path file = Files.write(dir.resolve("f"), content);
    for (Misbehaviour m : Misbehaviour.values()) {
      try (FileChannel plain = FileChannel.open(file, StandardOpenOption.READ);
          ReadableByteChannel ch = new DirectFileReader(file, new Misbehaving(plain, m), stage)) {
        assertArrayEquals(content, readAll(ch, 65_536), m.name());
      }
    }
  }

  private enum Misbehaviour { SHORT_SECOND_READ, EMPTY_SECOND_READ, FAILED_SECOND_READ }

  /** A channel whose second positional read comes back short, empty or failed. */
  private static final class Misbehaving extends FileChannel {
    private final FileChannel in;
    private final Misbehaviour how;
    private int reads;

    Misbehaving(FileChannel in, Misbehaviour how) {
      this.in = in;
      this.how = how;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      if (++reads == 2) {
        switch (how) {
          case SHORT_SECOND_READ -> dst.limit(dst.position() + 1000);
          case EMPTY_SECOND_READ -> {
            return 0;
          }
          case FAILED_SECOND_READ -> throw new IOException("Input/output error");
        }
      }
      return in.read(dst, position);
    }

    @Override
    public long size() throws IOException {
      return in.size();
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel position(long newPosition) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() {}
  }

  @Test
  void aSymbolicLinkIsNotFollowed() throws IOException {
    Path target = Files.write(dir.resolve("target"), new byte[STEP]);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    assertThrows(IOException.class, () -> DirectFileReader.open(link, stage).close());
  }

  @Test
  void theStageIsAlignedForDirectReads() {
    assertEquals(STEP, stage.capacity());
    assertTrue(stage.isDirect());
    assertEquals(0, stage.alignmentOffset(0, 4096));
  }

  private static byte[] readAll(ReadableByteChannel ch, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[readSize];
    while (true) {
      ByteBuffer view = ByteBuffer.wrap(b);
      int n = ch.read(view);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(b, 0, n);
    }
  }
}
