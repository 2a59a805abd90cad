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
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.ChunkIdKey;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

/**
 * The crypto primitives on the backup path: the keyed chunk id, and AEAD seal / open of a blob.
 * Throughput counts plaintext bytes. Content does not matter to them, so only random data is
 * measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CryptoBench {

  @Param({"1048576", "16777216"})
  int size;

  private byte[] plaintext;
  private byte[] sealed;
  private final byte[] aad = {1, 2, 3, 4, 5, 6, 7, 8};
  private ChunkIdKey ids;
  private AeadCipher cipher;

  @Setup
  public void setUp() {
    MasterSecret secret = MasterSecret.fromBytes(BenchData.random(16, 7));
    ids = ChunkIdKey.derive(secret);
    cipher = AeadCipher.derive(secret, KeyPurpose.BLOB);
    plaintext = BenchData.random(size, 42);
    sealed = cipher.seal(plaintext, 0, size, aad);
  }

  @Benchmark
  public byte[] chunkId(ByteCounter counter) {
    counter.add(size);
    return ids.id(plaintext, 0, size);
  }

  @Benchmark
  public byte[] seal(ByteCounter counter) {
    counter.add(size);
    return cipher.seal(plaintext, 0, size, aad);
  }

  @Benchmark
  public byte[] open(ByteCounter counter) {
    counter.add(size);
    return cipher.open(sealed, 0, sealed.length, aad);
  }
}
