package org.selfstorage.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ShardStore} must pass. Subclass it, return a fresh empty store from
 * {@link #newStore()}, and run it.
 */
public abstract class ShardStoreContract {
  protected ShardStore store;

  protected abstract ShardStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static byte[] data(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void put_thenGet_returnsSameBytes() {
    byte[] d = data(100_000, 1);
    store.put(new ShardName("aa01.0"), d);
    assertArrayEquals(d, store.get(new ShardName("aa01.0")));
  }

  @Test
  void put_headerAndBodyPrefix_storesExactlyThoseBytes() {
    assertStoresSlice("cc03.2", 0, 200_001); // a reused buffer: only its first 200,001 bytes are the body
  }

  @Test
  void put_headerAndBodySlice_storesExactlyThoseBytes() {
    assertStoresSlice("cc05.1", 100_003, 150_001); // one data shard inside a whole pack
  }

  private void assertStoresSlice(String shard, int offset, int length) {
    byte[] header = data(140, 7);
    byte[] buffer = data(300_000, 8);
    store.put(new ShardName(shard), header, buffer, offset, length);
    byte[] expected = java.util.Arrays.copyOf(header, header.length + length);
    System.arraycopy(buffer, offset, expected, header.length, length);
    assertArrayEquals(expected, store.get(new ShardName(shard)));
    assertEquals(expected.length, store.stat(new ShardName(shard)).orElseThrow().size());
  }

  @Test
  void get_intoALentBuffer_givesTheSameBytes_asItsFirstLength() {
    byte[] d = data(150_001, 9);
    store.put(new ShardName("dd04.0"), d);
    byte[] lent = data(400_000, 10); // longer than the shard, and not zeroed
    ShardBytes read = store.get(new ShardName("dd04.0"), size -> size <= lent.length ? lent : new byte[size]);
    assertEquals(d.length, read.length());
    assertArrayEquals(d, java.util.Arrays.copyOf(read.array(), read.length()));
    assertArrayEquals(d, read.exact());
    assertThrows(ShardNotFoundException.class, () -> store.get(new ShardName("dd04.9"), byte[]::new));
  }

  @Test
  void put_emptyShard_roundTrips() {
    store.put(new ShardName("empty.0"), new byte[0]);
    assertEquals(0, store.get(new ShardName("empty.0")).length);
    assertEquals(0, store.stat(new ShardName("empty.0")).orElseThrow().size());
  }

  @Test
  void put_sameNameTwice_isIdempotent() {
    byte[] d = data(5000, 2);
    store.put(new ShardName("bb02.1"), d);
    store.put(new ShardName("bb02.1"), d);
    assertArrayEquals(d, store.get(new ShardName("bb02.1")));
    assertEquals(1, store.list("bb02").size());
  }

  @Test
  void get_missingShard_throwsShardNotFound() {
    ShardNotFoundException e = assertThrows(ShardNotFoundException.class, () -> store.get(new ShardName("cc03.0")));
    assertEquals("SHARD_MISSING", e.code());
  }

  @Test
  void stat_reportsSizeOrEmpty() {
    store.put(new ShardName("dd04.2"), data(1234, 3));
    assertEquals(1234, store.stat(new ShardName("dd04.2")).orElseThrow().size());
    assertTrue(store.stat(new ShardName("dd05.2")).isEmpty());
  }

  @Test
  void list_filtersByPrefix_inNameOrder() {
    for (String n : List.of("ee02.1", "ee01.0", "ef01.0", "ee01.1")) {
      store.put(new ShardName(n), data(10, n.hashCode()));
    }
    List<String> names = store.list("ee").stream().map(s -> s.name().value()).toList();
    assertEquals(List.of("ee01.0", "ee01.1", "ee02.1"), names);
    assertEquals(4, store.list("").size());
    assertEquals(List.of("ee01.0", "ee01.1"), store.list("ee01").stream().map(s -> s.name().value()).toList());
  }

  @Test
  void delete_removesShard_andAbsentDeleteSucceeds() {
    store.put(new ShardName("ff06.0"), data(10, 6));
    store.delete(new ShardName("ff06.0"));
    assertTrue(store.stat(new ShardName("ff06.0")).isEmpty());
    store.delete(new ShardName("ff06.0"));
    assertTrue(store.list("ff").isEmpty());
  }

  @Test
  void concurrentPuts_allLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int n = i;
        futures.add(pool.submit(() -> store.put(new ShardName(String.format("c%03d.0", n)), data(20_000, n))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(32, store.list("c").size());
    assertArrayEquals(data(20_000, 7), store.get(new ShardName("c007.0")));
  }

  @Test
  void freeSpace_isPositive() {
    assertTrue(store.freeSpace() > 0);
  }
}
