package org.selfstorage.federation.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.ClientSettings.DataPath;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;

/**
 * Shard throughput of the two data paths over loopback, warm JVM, one session. Not a test (surefire
 * does not run it); docs/federation.md says how to run it and what it measured.
 *
 * <p>Arguments: hosted directory (e.g. /dev/shm/x to leave the disk out), MiB per round, shard KiB, rounds.
 */
public final class DataPathBenchmark {
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args.length > 0 ? args[0] : "/dev/shm/selfstorage-bench");
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int shardKib = args.length > 2 ? Integer.parseInt(args[2]) : 16 << 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Files.createDirectories(base);
    byte[] shard = new byte[shardKib << 10];
    new Random(1).nextBytes(shard);
    int count = (int) ((long) mib * 1024 / shardKib);
    try (TestAgents agents = new TestAgents(base)) {
      agents.host(TestAgents.ALICE, "alice", Long.MAX_VALUE);
      agents.start();
      for (DataPath path : DataPath.values()) {
        try (PartnerConnections c = Federation.partnerConnections(TestAgents.ALICE,
            ClientSettings.defaults().withDataPath(path))) {
          ShardStore s = c.shardStore("host", agents.address(), HostKeyFingerprint.of(TestAgents.HOST));
          run(s, shard, count, "warm-up " + path); // JIT and AES-GCM warm-up: 1 round
          for (int r = 0; r < rounds; r++) {
            run(s, shard, count, path.toString());
          }
        }
      }
    }
  }

  private static void run(ShardStore s, byte[] shard, int count, String label) {
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      s.put(new ShardName(String.format("b%04d.0", i)), shard);
    }
    long t1 = System.nanoTime();
    long got = 0;
    for (int i = 0; i < count; i++) {
      got += s.get(new ShardName(String.format("b%04d.0", i))).length;
    }
    long t2 = System.nanoTime();
    double mb = (double) count * shard.length / 1e6;
    System.out.printf("%-22s put %7.0f MB/s   get %7.0f MB/s   (%d x %d KiB)%n", label,
        mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), count, shard.length >> 10);
    for (int i = 0; i < count; i++) {
      s.delete(new ShardName(String.format("b%04d.0", i)));
    }
  }
}
