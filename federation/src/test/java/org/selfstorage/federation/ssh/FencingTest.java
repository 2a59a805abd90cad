package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.HostedPartner;
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
}
