package org.selfstorage.bench;

import com.github.luben.zstd.Zstd;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zstd-jni one-shot compression into a preallocated buffer, and decompression of that output.
 * Throughput counts uncompressed bytes for both. The compression ratio is printed at setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ZstdBench {

  @Param({"1", "3"})
  int level;

  @Param({"random", "text"})
  String data;

  @Param({"1048576", "16777216"})
  int size;

  private byte[] input;
  private byte[] compressed;
  private int compressedLength;
  private byte[] restored;

  @Setup
  public void setUp() {
    input = BenchData.of(data, size, 42);
    compressed = new byte[(int) Zstd.compressBound(size)];
    compressedLength = (int) check(Zstd.compressByteArray(compressed, 0, compressed.length, input, 0, size, level));
    restored = new byte[size];
    System.out.printf(
        "%nzstd level %d, %s, %d bytes: ratio %.2f%n",
        level, data, size, (double) size / compressedLength);
  }

  @Benchmark
  public long compress(ByteCounter counter) {
    counter.add(size);
    return Zstd.compressByteArray(compressed, 0, compressed.length, input, 0, size, level);
  }

  @Benchmark
  public long decompress(ByteCounter counter) {
    counter.add(size);
    return Zstd.decompressByteArray(restored, 0, size, compressed, 0, compressedLength);
  }

  private static long check(long result) {
    if (Zstd.isError(result)) {
      throw new IllegalStateException(Zstd.getErrorName(result));
    }
    return result;
  }
}
