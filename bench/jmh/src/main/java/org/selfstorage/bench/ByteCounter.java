package org.selfstorage.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the input a benchmark processed, in MB (10^6 bytes). JMH reports it as the secondary
 * result {@code :mb}, normalized by time; with the benchmarks' output unit of ops/s that figure is
 * MB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {

  public double mb;

  @Setup(Level.Iteration)
  public void reset() {
    mb = 0;
  }

  void add(int bytes) {
    mb += bytes / 1e6;
  }
}
