package org.selfstorage.bench;

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
import org.selfstorage.agent.chunk.Chunker;
import org.selfstorage.agent.chunk.ChunkerParams;

/** FastCDC scan speed with the default 256 KiB / 1 MiB / 4 MiB bounds: cut a whole buffer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChunkerBench {

  @Param({"1048576", "16777216"})
  int size;

  @Param({"random", "text"})
  String data;

  private byte[] buf;
  private Chunker chunker;

  @Setup
  public void setUp() {
    buf = BenchData.of(data, size, 42);
    chunker = new Chunker(ChunkerParams.defaults());
  }

  /** Every chunk of the buffer; bytes skipped under {@code min} count as scanned. */
  @Benchmark
  public int cut(ByteCounter counter) {
    byte[] b = buf;
    int chunks = 0;
    for (int off = 0; off < b.length; chunks++) {
      off += chunker.cut(b, off, b.length - off);
    }
    counter.add(b.length);
    return chunks;
  }
}
