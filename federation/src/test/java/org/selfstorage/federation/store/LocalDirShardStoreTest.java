package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.ShardStoreContract;
import org.selfstorage.federation.ShardStores;
import org.selfstorage.federation.StoreUnavailableException;

class LocalDirShardStoreTest extends ShardStoreContract {
  @TempDir Path dir;

  @Override
  protected ShardStore newStore() {
    return ShardStores.initLocal(dir.resolve("store"), "test");
  }

  @Test
  void open_emptyDirectory_isUnavailable() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("unmounted"));
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> ShardStores.openLocal(empty));
    assertEquals("STORE_UNAVAILABLE", e.code());
  }

  @Test
  void vanishedDirectory_isReportedAsUnavailable_notAsMissingShard() throws Exception {
    store.put(new ShardName("ab12.0"), data(10, 1));
    Path root = dir.resolve("store");
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertThrows(StoreUnavailableException.class, () -> store.get(new ShardName("ab12.0")));
  }

  @Test
  void init_makesTheDirectoryOfEveryHexPrefix_andAPutInAMissingOneMakesItAgain() throws Exception {
    Path shards = dir.resolve("store").resolve("shards");
    try (var s = Files.list(shards)) {
      assertEquals(256, s.filter(Files::isDirectory).count());
    }
    Files.delete(shards.resolve("c4"));
    store.put(new ShardName("c4aa.1"), data(100, 3));
    assertArrayEquals(data(100, 3), store.get(new ShardName("c4aa.1")));
  }

  @Test
  void put_leavesNoTemporaryFiles() throws Exception {
    store.put(new ShardName("ab13.0"), data(1000, 2));
    try (var s = Files.list(dir.resolve("store").resolve("tmp"))) {
      assertTrue(s.findAny().isEmpty());
    }
  }
}
