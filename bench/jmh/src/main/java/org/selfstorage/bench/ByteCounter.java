package org.selfstorage.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the input bytes a benchmark processed. JMH reports it as the secondary result
 * {@code :bytes}; with the benchmarks' output unit of ops/us, that figure is in MB/s (10^6 bytes
 * per second).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {

  public long bytes;

  @Setup(Level.Iteration)
  public void reset() {
    bytes = 0;
  }
}
