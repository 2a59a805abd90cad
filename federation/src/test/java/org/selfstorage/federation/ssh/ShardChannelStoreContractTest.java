package org.selfstorage.federation.ssh;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ClientSettings.DataPath;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStoreContract;

/** The store contract against a real in-process server, shard bytes on the shard channel. */
class ShardChannelStoreContractTest extends ShardStoreContract {
  @TempDir Path dir;
  private TestAgents agents;

  @Override
  protected ShardStore newStore() {
    agents = new TestAgents(dir);
    agents.host(TestAgents.ALICE, "alice", 1L << 30);
    agents.start();
    return agents.store(TestAgents.ALICE, TestAgents.clientSettings().withDataPath(DataPath.SHARD_CHANNEL));
  }

  @AfterEach
  void stop() {
    agents.close();
  }
}
