package org.selfstorage.federation.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStat;
import org.selfstorage.federation.ShardStore;

/**
 * Puts from several threads into one store while a {@link PowerCutRecorder} watches its disk, and
 * what must hold after the cut. Each thread has its own names and writes some of them several
 * times with new bytes (as the catalog copies are), so a name's content after the cut may be the
 * last acknowledged version or any version attempted after it, but nothing else: never torn, never
 * empty, never lost.
 */
public final class PowerCutWorkload {
  private final Map<ShardName, List<byte[]>> attempted = new HashMap<>();
  private final Map<ShardName, Integer> ackedVersion = new HashMap<>();
  private int acknowledged;

  /** Puts acknowledged before the cut. */
  public synchronized int acknowledged() {
    return acknowledged;
  }

  /**
   * Runs {@code threads} writers of {@code puts} shards each; a put that fails before the cut fails
   * the test, one that fails after it ends its thread.
   */
  public void run(ShardStore store, PowerCutRecorder recorder, Random random, int threads, int puts) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random r = new Random(random.nextLong());
      List<ShardName> names = new ArrayList<>();
      for (int i = 0; i < Math.max(1, puts * 2 / 3); i++) {
        names.add(new ShardName(HexFormat.of().formatHex(new byte[] {(byte) r.nextInt()}) + "t" + t + "n" + i + ".0"));
      }
      done.add(pool.submit(() -> {
        for (int i = 0; i < puts; i++) {
          ShardName name = names.get(r.nextInt(names.size()));
          byte[] data = new byte[r.nextInt(8) == 0 ? r.nextInt(16) : r.nextInt(200_000)];
          r.nextBytes(data);
          int version;
          synchronized (this) {
            List<byte[]> versions = attempted.computeIfAbsent(name, n -> new ArrayList<>());
            versions.add(data);
            version = versions.size() - 1;
          }
          try {
            store.put(name, data);
          } catch (RuntimeException e) {
            if (recorder.isCut()) {
              return null;
            }
            throw e;
          }
          if (recorder.isCut()) {
            return null; // it returned, but only after the power went: not acknowledged in time
          }
          synchronized (this) {
            ackedVersion.put(name, version);
            acknowledged++;
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  /** Every acknowledged put is there with its bytes (or a later version's); every shard is whole. */
  public synchronized void verify(ShardStore store) {
    Map<ShardName, byte[]> found = new HashMap<>();
    for (ShardStat s : store.list("")) {
      found.put(s.name(), store.get(s.name()));
    }
    for (Map.Entry<ShardName, Integer> a : ackedVersion.entrySet()) {
      byte[] now = found.get(a.getKey());
      if (now == null) {
        fail("acknowledged shard " + a.getKey() + " was lost in the power cut");
      }
      List<byte[]> versions = attempted.get(a.getKey());
      int v = indexOf(versions, now);
      assertTrue(v >= a.getValue(), "shard " + a.getKey() + " went back to an older version (" + v + " < "
          + a.getValue() + ") or holds bytes never written (" + now.length + " bytes)");
    }
    for (Map.Entry<ShardName, byte[]> f : found.entrySet()) {
      List<byte[]> versions = attempted.get(f.getKey());
      assertTrue(versions != null && indexOf(versions, f.getValue()) >= 0,
          "shard " + f.getKey() + " holds " + f.getValue().length + " bytes that no put wrote: torn under its real name");
    }
    assertEquals(ackedVersion.keySet().stream().filter(found::containsKey).count(), ackedVersion.size());
  }

  private static int indexOf(List<byte[]> versions, byte[] content) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (Arrays.equals(versions.get(i), content)) {
        return i;
      }
    }
    return -1;
  }
}
