package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.Federation;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostKeyFingerprint;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.PartnerConnections;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;

/**
 * A machine whose home was recovered elsewhere since (it declares an older epoch than the host
 * knows) may still read its shards, but can write, replace or delete nothing, on either data path.
 */
class FencingTest {
  @TempDir Path dir;

  @Test
  void olderEpoch_readsButChangesNothing_currentEpochWrites() {
    for (ClientSettings.DataPath path : ClientSettings.DataPath.values()) {
      Path base = dir.resolve(path.name());
      ShardName name = new ShardName("ab12.0");
      byte[] data = "shard bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try (TestAgents current = new TestAgents(base)) {
        HostedPartner alice = current.host(TestAgents.ALICE, "alice", 1L << 20);
        current.agreementsFor(TestAgents.ALICE, new HostedPartner(alice.name(), alice.root(), alice.quotaBytes(), 2));
        current.start();
        try (ShardStore recovered = current.store(TestAgents.ALICE, TestAgents.clientSettings().withDataPath(path)
            .withEpoch(2))) {
          recovered.put(name, data);
        }
      }
      try (TestAgents old = new TestAgents(base)) {
        HostedPartner alice = old.host(TestAgents.ALICE, "alice", 1L << 20);
        old.agreementsFor(TestAgents.ALICE, new HostedPartner(alice.name(), alice.root(), alice.quotaBytes(), 2));
        old.start();
        ShardStore stale = old.store(TestAgents.ALICE, TestAgents.clientSettings().withDataPath(path).withEpoch(1));
        assertArrayEquals(data, stale.get(name), "a fenced machine may still read");
        FederationException put = assertThrows(FederationException.class, () -> stale.put(new ShardName("cd34.0"),
            data));
        assertTrue(String.valueOf(put.getMessage()).contains("FENCED") || path == ClientSettings.DataPath.SFTP,
            path + ": " + put.getMessage());
        assertThrows(FederationException.class, () -> stale.delete(name));
        assertArrayEquals(data, stale.get(name), "nothing was deleted");
      }
    }
  }

  /**
   * The old machine's sessions opened before the host learned of the recovery were not fenced at
   * login: when the epoch is raised they are closed, and the old machine's next login is fenced,
   * while the recovered machine's session goes on.
   */
  @Test
  void epochRaised_closesTheOldMachinesOpenSessions_andItsNextLoginIsFenced() throws Exception {
    for (ClientSettings.DataPath path : ClientSettings.DataPath.values()) {
      byte[] data = "shard bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try (TestAgents host = new TestAgents(dir.resolve("raised-" + path.name()))) {
        HostedPartner alice = host.host(TestAgents.ALICE, "alice", 1L << 20);
        host.agreementsFor(TestAgents.ALICE, new HostedPartner(alice.name(), alice.root(), alice.quotaBytes(), 1));
        host.start();
        ShardStore old = host.store(TestAgents.ALICE, TestAgents.clientSettings().withDataPath(path).withEpoch(1));
        old.put(new ShardName("ab01.0"), data); // a session that may write, open

        HostedPartner recovered = new HostedPartner(alice.name(), alice.root(), alice.quotaBytes(), 2);
        host.agreementsFor(TestAgents.ALICE, recovered);
        try (PartnerConnections newMachine = Federation.partnerConnections(TestAgents.ALICE,
            TestAgents.clientSettings().withDataPath(path).withEpoch(2))) {
          ShardStore fresh = newMachine.shardStore("host", host.address(), HostKeyFingerprint.of(TestAgents.HOST));
          fresh.put(new ShardName("ab02.0"), data);
          host.server.epochRaised(recovered);

          assertThrows(FederationException.class, () -> old.put(new ShardName("ab03.0"), data));
          FederationException again = assertThrows(FederationException.class,
              () -> old.put(new ShardName("ab04.0"), data));
          assertTrue(String.valueOf(again.getMessage()).contains("FENCED") || path == ClientSettings.DataPath.SFTP,
              path + ": " + again.getMessage());
          assertArrayEquals(data, old.get(new ShardName("ab01.0")), path + ": the old machine may still read");
          fresh.put(new ShardName("ab05.0"), data);
          assertArrayEquals(data, fresh.get(new ShardName("ab05.0")));
          assertTrue(old.stat(new ShardName("ab03.0")).isEmpty() && old.stat(new ShardName("ab04.0")).isEmpty(),
              path + ": nothing the old machine sent after the recovery was kept");
        }
      }
    }
  }
}
