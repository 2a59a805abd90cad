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
import org.selfstorage.agent.erasure.ShardCodec;

/**
 * Reed-Solomon encode of a pack, and decode with the first data shard missing (so one data shard
 * is rebuilt from parity). Throughput counts the pack's bytes, not the shards'. The codec's speed
 * does not depend on the content, so only random data is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ShardCodecBench {

  @Param({"2+1", "3+2", "4+2"})
  String code;

  @Param({"1048576", "16777216"})
  int size;

  private byte[] pack;
  private ShardCodec codec;
  private byte[][] degraded;

  @Setup
  public void setUp() {
    String[] km = code.split("\\+");
    codec = new ShardCodec(Integer.parseInt(km[0]), Integer.parseInt(km[1]));
    pack = BenchData.random(size, 42);
    degraded = codec.encode(pack, 0, size);
    degraded[0] = null;
  }

  @Benchmark
  public byte[][] encode(ByteCounter counter) {
    counter.add(size);
    return codec.encode(pack, 0, size);
  }

  @Benchmark
  public byte[] decodeOneDataShardMissing(ByteCounter counter) {
    counter.add(size);
    return codec.decode(degraded, size);
  }
}
