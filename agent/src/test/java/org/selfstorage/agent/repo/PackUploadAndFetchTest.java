package org.selfstorage.agent.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.pack.BlobSealer;
import org.selfstorage.agent.pack.PackHeader;
import org.selfstorage.agent.pack.PackWriter;
import org.selfstorage.agent.pack.SealedPack;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Pack;
import org.selfstorage.catalog.ShardRecord;
import org.selfstorage.crypto.MasterSecret;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStores;

class PackUploadAndFetchTest {
  private static final Keys KEYS = Keys.derive(MasterSecret.fromBytes(new byte[16]));
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private Catalog catalog;
  private StoreSet stores;
  private final ExecutorService encoders = Executors.newSingleThreadExecutor();
  private final ExecutorService io = Executors.newFixedThreadPool(3);

  private SealedPack sealed;
  private byte[] packBytes;
  private Pack pack;

  @BeforeEach
  void placeOnePackOnThreeSites() throws InterruptedException {
    catalog = Catalog.open(dir.resolve("catalog.db"));
    for (int i = 0; i < 3; i++) {
      Path root = dir.resolve("store" + i);
      ShardStores.initLocal(root, "test-store-" + i).close();
      catalog.stores().add("disk" + i, "local", root.toString(), "site" + i, CLOCK.instant());
    }
    stores = StoreSet.open(catalog);

    sealed = samplePack();
    packBytes = Arrays.copyOf(sealed.bytes(), sealed.length());
    PackUploader uploader = new PackUploader(catalog, KEYS, stores, 1, encoders, io, CLOCK, 2);
    uploader.upload(sealed);
    uploader.awaitAll();
    pack = catalog.packs().get(sealed.id()).orElseThrow();
  }

  @AfterEach
  void close() {
    encoders.shutdownNow();
    io.shutdownNow();
    stores.close();
    catalog.close();
  }

  /** A pack of a few blobs: random, repetitive text, and one that is not a multiple of anything. */
  private static SealedPack samplePack() {
    BlobSealer sealer = new BlobSealer(KEYS.blob(), 3);
    PackWriter writer = new PackWriter(1 << 20, 1 << 20, KEYS.packHeader(), new SecureRandom());
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 4; i++) {
      byte[] plain = new byte[20_000 + 7777 * i];
      if (i % 2 == 0) {
        random.nextBytes(plain);
      } else {
        byte[] line = ("line " + i + " of some text\n").getBytes(StandardCharsets.US_ASCII);
        for (int p = 0; p < plain.length; p++) {
          plain[p] = line[p % line.length];
        }
      }
      BlobId id = new BlobId(KEYS.chunkId().id(plain));
      writer.add(id, BlobType.DATA, sealer.seal(id, plain, 0, plain.length), plain.length);
    }
    return writer.finish();
  }

  /** B5: a store that stops answering (SIGSTOP, a dead link) is read around, not waited for. */
  @Test
  void aStoreThatHangs_isReadAround_byAHedgedRead() throws Exception {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    stores.wrap(record(0).storeId(), ReadFaultStore.wrapping((real, name) -> {
      try {
        never.await(); // hangs like a paused partner, until the test ends
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real.get(name);
    }));
    ExecutorService reads = Executors.newFixedThreadPool(4);
    try {
      // without a hedged read this never returns; with one, in about a second
      byte[] got = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
          () -> new PackFetcher(catalog, KEYS, stores, reads).fetch(pack, p -> { }));
      assertArrayEquals(packBytes, got);
    } finally {
      never.countDown();
      reads.shutdownNow();
    }
  }

  /** D4: a disk that answers a read with EIO costs that shard only; the read is named, the pack decodes. */
  @Test
  void aShardReadFailingWithEio_isReadAround_andNamed() {
    stores.wrap(record(1).storeId(), ReadFaultStore.wrapping((real, name) -> {
      throw new org.selfstorage.federation.StoreIoException("reading shard " + name + " from "
          + real.describe() + " failed: Input/output error", new java.io.IOException("Input/output error"));
    }));
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();
    assertArrayEquals(packBytes, fetch(problems));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).toString().contains("Input/output error"), problems.toString());
    assertEquals(1, problems.get(0).index(), problems.toString());
  }

  private byte[] fetch(List<PackFetcher.ShardProblem> problems) {
    return new PackFetcher(catalog, KEYS, stores).fetch(pack, problems::add);
  }

  private ShardRecord record(int index) {
    return catalog.shards().ofPack(pack.id()).stream().filter(r -> r.index() == index).findFirst().orElseThrow();
  }

  private OpenStore storeOf(int index) {
    return stores.get(record(index).storeId()).orElseThrow();
  }

  private ShardName name(int index) {
    return ShardNames.of(pack.id(), index);
  }

  @Test
  void upload_threeSitesToleratingOne_placesTwoDataAndOneParityShardOnDistinctStores() {
    assertEquals(2, pack.dataShards());
    assertEquals(1, pack.parityShards());
    assertEquals(sealed.length(), pack.length());
    assertEquals(CLOCK.instant(), pack.createdAt());
    List<ShardRecord> shards = catalog.shards().ofPack(pack.id());
    assertEquals(List.of(0, 1, 2), shards.stream().map(ShardRecord::index).toList());
    Set<Long> storeIds = new HashSet<>();
    for (ShardRecord r : shards) {
      storeIds.add(r.storeId());
      byte[] shard = stores.get(r.storeId()).orElseThrow().handle().get(name(r.index()));
      assertEquals(pack.shardLength(), shard.length);
      assertArrayEquals(r.sha256(), ShardFile.verify(shard, pack.id(), r.index(), KEYS.shardHeader()).bodySha256());
    }
    assertEquals(3, storeIds.size(), "each shard on its own store");
    assertEquals(sealed.blobs().size(), sealed.blobs().stream()
        .filter(b -> catalog.blobs().get(b.id()).isPresent()).count(), "the pack's blobs are in the catalog");
  }

  /**
   * Data shards are written as slices of the pack's buffer when it has room for the zero padding of
   * the last one, and copied out when it has not: both give the same pack back, and the pack's own
   * bytes are never changed.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9})
  void upload_oddLengthPack_inAnExactOrLargerBuffer_fetchesByteExact(int room) throws InterruptedException {
    byte[] content = new byte[100_001]; // odd: two data shards need one byte of padding
    new SplittableRandom(room).nextBytes(content);
    byte[] buffer = Arrays.copyOf(content, content.length + room);
    Arrays.fill(buffer, content.length, buffer.length, (byte) 0x5a);
    byte[] id = new byte[org.selfstorage.catalog.PackId.LENGTH];
    id[0] = (byte) (0x40 + room);
    SealedPack odd = new SealedPack(new org.selfstorage.catalog.PackId(id), buffer, content.length, List.of());
    PackUploader uploader = new PackUploader(catalog, KEYS, stores, 1, encoders, io, CLOCK, 2);
    uploader.upload(odd);
    uploader.awaitAll();
    assertArrayEquals(content, Arrays.copyOf(buffer, content.length), "the pack's bytes are left as they were");
    Pack stored = catalog.packs().get(odd.id()).orElseThrow();
    assertEquals(ShardFile.HEADER + 50_001L, stored.shardLength());
    OpenStore second = stores.get(catalog.shards().ofPack(odd.id()).stream().filter(r -> r.index() == 1)
        .findFirst().orElseThrow().storeId()).orElseThrow();
    byte[] body = ShardFile.body(second.handle().get(ShardNames.of(odd.id(), 1)));
    assertEquals(0, body[body.length - 1], "the last data shard is padded with zeros, not the buffer's old bytes");
    assertArrayEquals(content, new PackFetcher(catalog, KEYS, stores).fetch(stored, p -> { }));
    for (int lost = 0; lost < 3; lost++) { // and any two of the three shards rebuild it
      int index = lost;
      ShardName gone = ShardNames.of(odd.id(), index);
      OpenStore holder = stores.get(catalog.shards().ofPack(odd.id()).stream().filter(r -> r.index() == index)
          .findFirst().orElseThrow().storeId()).orElseThrow();
      byte[] kept = holder.handle().get(gone);
      holder.handle().delete(gone);
      assertArrayEquals(content, new PackFetcher(catalog, KEYS, stores).fetch(stored, p -> { }), "without shard " + lost);
      holder.handle().put(gone, kept);
    }
  }

  @Test
  void fetch_allShardsPresent_returnsThePackByteExactWithoutProblems() {
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    byte[] fetched = fetch(problems);

    assertArrayEquals(packBytes, fetched);
    assertEquals(sealed.blobs(), PackHeader.read(pack.id(), fetched, fetched.length, KEYS.packHeader()));
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void fetch_oneShardFileDeleted_stillReturnsThePack(int index) {
    OpenStore holder = storeOf(index);
    holder.handle().delete(name(index));
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    assertArrayEquals(packBytes, fetch(problems));

    if (index < pack.dataShards()) {
      assertEquals(1, problems.size(), problems.toString());
      PackFetcher.ShardProblem problem = problems.get(0);
      assertEquals(index, problem.index());
      assertEquals(holder.name(), problem.store());
      assertEquals(pack.id(), problem.pack().id());
      assertTrue(problem.problem().contains("missing"), problem.problem());
    } else {
      // the parity shard is read only when a data shard is bad, so its loss goes unnoticed here
      assertEquals(List.of(), problems);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "0, 10, header does not authenticate",
      "0, 100, body does not match its checksum",
      "1, 0, bad magic",
      "1, -1, body does not match its checksum"})
  void fetch_oneDataShardWithAByteChanged_stillReturnsThePackAndNamesTheStore(int index, int position,
      String expected) throws Exception {
    OpenStore holder = storeOf(index);
    Path file = shardFile(holder, index);
    byte[] shard = Files.readAllBytes(file);
    int at = position >= 0 ? position : shard.length + position;
    shard[at] ^= 0x40;
    Files.write(file, shard);
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    assertArrayEquals(packBytes, fetch(problems));

    assertEquals(1, problems.size(), problems.toString());
    assertEquals(index, problems.get(0).index());
    assertEquals(holder.name(), problems.get(0).store());
    assertTrue(problems.get(0).problem().contains(expected), problems.get(0).problem());
  }

  @Test
  void fetch_dataShardReplacedByAnotherShardOfThePack_isDetectedAndRebuilt() {
    byte[] other = storeOf(1).handle().get(name(1));
    storeOf(0).handle().put(name(0), other);
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    assertArrayEquals(packBytes, fetch(problems));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).problem().contains("instead of shard 0"), problems.get(0).problem());
  }

  @Test
  void fetch_storeNotMounted_stillReturnsThePackAndSaysTheStoreIsUnavailable() throws Exception {
    OpenStore holder = storeOf(0);
    stores.close();
    Path root = Path.of(holder.record().location());
    Files.move(root, root.resolveSibling("unmounted")); // what an unplugged disk looks like to a new run
    stores = StoreSet.open(catalog);
    assertEquals(1, stores.unavailable().size());
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    assertArrayEquals(packBytes, fetch(problems));

    assertEquals(1, problems.size(), problems.toString());
    assertEquals(0, problems.get(0).index());
    assertEquals(holder.name(), problems.get(0).store());
    assertTrue(problems.get(0).problem().contains("unavailable"), problems.get(0).problem());
  }

  @ParameterizedTest
  @CsvSource({"0, 1", "0, 2", "1, 2"})
  void fetch_twoOfThreeShardsGone_throwsPackUnrecoverable(int first, int second) {
    storeOf(first).handle().delete(name(first));
    storeOf(second).handle().delete(name(second));
    List<PackFetcher.ShardProblem> problems = new ArrayList<>();

    AgentException e = assertThrows(AgentException.class, () -> fetch(problems));

    assertEquals("PACK_UNRECOVERABLE", e.code());
    assertTrue(e.getMessage().contains("only 1 readable"), e.getMessage());
    assertEquals(2, problems.size(), problems.toString());
    assertEquals(Set.of(first, second), Set.of(problems.get(0).index(), problems.get(1).index()));
  }

  /** The shard's file, as a store admin would find it: {@code shards/<two characters>/<name>}. */
  private Path shardFile(OpenStore store, int index) {
    String v = name(index).value();
    Path file = Path.of(store.record().location()).resolve("shards").resolve(v.substring(0, 2)).resolve(v);
    assertTrue(Files.isRegularFile(file), file + " should exist");
    return file;
  }
}
