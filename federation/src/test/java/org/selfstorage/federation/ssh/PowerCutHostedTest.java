package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.ClientSettings.DataPath;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.store.PowerCutRecorder;
import org.selfstorage.federation.store.PowerCutWorkload;

/**
 * reliability.md A3 for a partner: the host loses power at a random point while a partner uploads
 * over the shard channel or SFTP. After the host restarts on what its disk kept, every shard it
 * acknowledged is there with its bytes, none is torn under its real name, and the interrupted
 * uploads in {@code incoming/} are removed (and named) before the partner can log in again.
 */
class PowerCutHostedTest {
  private static final int CUTS = Integer.getInteger("powercut.hosted-cuts", 30);
  private static final long SEED = Long.getLong("powercut.seed", System.nanoTime());

  @TempDir Path dir;

  @Test
  void everyAcknowledgedUploadSurvivesAPowerCutOfTheHost() throws Exception {
    System.out.println("host power-cut seed " + SEED + " (replay: -Dpowercut.seed=" + SEED + ")");
    Random random = new Random(SEED);
    long calls = run(dir.resolve("dry"), Long.MAX_VALUE, DataPath.SHARD_CHANNEL, new Random(random.nextLong()), null);
    assertTrue(calls > 30, "the workload makes enough durability calls to cut between: " + calls);
    int acked = 0;
    int leftovers = 0;
    for (int i = 0; i < CUTS; i++) {
      int[] counts = new int[2];
      run(dir.resolve("cut" + i), random.nextLong(calls + 1), i % 2 == 0 ? DataPath.SHARD_CHANNEL : DataPath.SFTP,
          new Random(random.nextLong()), counts);
      acked += counts[0];
      leftovers += counts[1];
    }
    System.out.println(CUTS + " host power cuts: " + acked + " acknowledged uploads all survived, " + leftovers
        + " interrupted uploads removed");
  }

  private static long run(Path base, long cutAt, DataPath path, Random random, int[] counts) throws Exception {
    Path hosted = Files.createDirectories(base.resolve("hosted"));
    PowerCutRecorder recorder = new PowerCutRecorder(cutAt, random, hosted);
    PowerCutWorkload work = new PowerCutWorkload();
    ClientSettings client = TestAgents.clientSettings().withDataPath(path);
    try (TestAgents agents = new TestAgents(base)) {
      agents.host(TestAgents.ALICE, "alice", 1L << 30);
      agents.start(TestAgents.serverSettings().withDurability(recorder));
      work.run(agents.store(TestAgents.ALICE, client), recorder, random, 3, 8);
    }
    long calls = recorder.calls();
    List<Path> torn = recorder.materialise();
    Path root = hosted.resolve("alice");
    for (Path t : torn) {
      assertTrue(t.startsWith(root.resolve("incoming")), "only interrupted uploads may be torn: " + t);
    }
    List<String> inIncoming = List.of();
    if (Files.isDirectory(root.resolve("incoming"))) {
      try (Stream<Path> s = Files.list(root.resolve("incoming"))) {
        inIncoming = s.map(p -> "incoming/" + p.getFileName()).sorted().toList();
      }
    }
    List<String> removed = Federation.removeInterruptedUploads(root).stream()
        .map(r -> r.substring(0, r.indexOf(" ("))).sorted().toList();
    assertEquals(inIncoming, removed, "every interrupted upload is removed and named");
    try (TestAgents agents = new TestAgents(base)) {
      agents.host(TestAgents.ALICE, "alice", 1L << 30);
      agents.start();
      ShardStore store = agents.store(TestAgents.ALICE, client);
      work.verify(store);
    }
    if (counts != null) {
      counts[0] = work.acknowledged();
      counts[1] = removed.size();
    }
    return calls;
  }
}
