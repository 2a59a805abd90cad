package org.selfstorage.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChunkIdKeyTest {

  @Test
  void id_isHmacSha256UnderTheDerivedKey() throws Exception {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      byte[] data = new byte[1000];
      new Random(1).nextBytes(data);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.derive(KeyPurpose.CHUNK_ID, 32), "HmacSHA256"));
      byte[] id = ChunkIdKey.derive(secret).id(data, 0, data.length);
      assertEquals(ChunkIdKey.ID_LENGTH, id.length);
      assertArrayEquals(mac.doFinal(data), id);
    }
  }

  @Test
  void id_ofASlice_equalsIdOfTheCopiedSlice() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      ChunkIdKey key = ChunkIdKey.derive(secret);
      byte[] data = new byte[4096];
      new Random(2).nextBytes(data);
      assertArrayEquals(key.id(Arrays.copyOfRange(data, 100, 3000)), key.id(data, 100, 2900));
      assertArrayEquals(key.id(new byte[0]), key.id(data, 4096, 0));
    }
  }

  @Test
  void id_ofOneMebibyte_isStable() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      ChunkIdKey key = ChunkIdKey.derive(secret);
      byte[] data = new byte[1 << 20];
      new Random(3).nextBytes(data);
      byte[] first = key.id(data, 0, data.length);
      assertArrayEquals(first, key.id(data, 0, data.length));
      data[data.length - 1] ^= 1;
      assertFalse(Arrays.equals(first, key.id(data, 0, data.length)));
    }
  }

  @Test
  void id_outOfBounds_isRefused() {
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      ChunkIdKey key = ChunkIdKey.derive(secret);
      byte[] data = new byte[10];
      assertThrows(IndexOutOfBoundsException.class, () -> key.id(data, 5, 6));
      assertThrows(IndexOutOfBoundsException.class, () -> key.id(data, -1, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> key.id(data, 0, -1));
      assertThrows(NullPointerException.class, () -> key.id(null, 0, 0));
    }
  }

  @Test
  void differentSecrets_giveDifferentIds() {
    byte[] other = GoldenVectorsTest.secret().toBytes();
    other[0] ^= 1;
    try (MasterSecret a = GoldenVectorsTest.secret();
        MasterSecret b = MasterSecret.fromBytes(other)) {
      byte[] data = "hello".getBytes();
      assertFalse(Arrays.equals(ChunkIdKey.derive(a).id(data), ChunkIdKey.derive(b).id(data)));
    }
  }

  @Test
  void id_fromManyThreadsAtOnce_isCorrect() throws Exception {
    ChunkIdKey key;
    try (MasterSecret secret = GoldenVectorsTest.secret()) {
      key = ChunkIdKey.derive(secret);
    }
    byte[][] inputs = new byte[64][];
    byte[][] expected = new byte[64][];
    Random random = new Random(4);
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = new byte[random.nextInt(70_000)];
      random.nextBytes(inputs[i]);
      expected[i] = key.id(inputs[i]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < inputs.length; i++) {
                      assertArrayEquals(expected[i], key.id(inputs[i]));
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void derivedKey_outlivesTheDestroyedSecret_andToStringIsRedacted() {
    MasterSecret secret = GoldenVectorsTest.secret();
    ChunkIdKey key = ChunkIdKey.derive(secret);
    secret.destroy();
    assertEquals(
        "e7c3536ea544d70803aa55fb8d93b9c8e145257f36db8fe17d7e1b6070f70ddf",
        java.util.HexFormat.of().formatHex(key.id("hello".getBytes())));
    assertEquals("ChunkIdKey[redacted]", key.toString());
  }
}
