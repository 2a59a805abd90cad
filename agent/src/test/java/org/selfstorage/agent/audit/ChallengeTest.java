package org.selfstorage.agent.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.AeadCipher;
import org.selfstorage.crypto.KeyPurpose;
import org.selfstorage.crypto.MasterSecret;

class ChallengeTest {
  private static final AeadCipher KEY = AeadCipher.derive(MasterSecret.fromBytes(new byte[16]), KeyPurpose.SHARD_HEADER);
  private static final PackId PACK = new PackId(bytes(1, PackId.LENGTH));

  @TempDir Path dir;

  static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private Path stored(byte[] body) throws Exception {
    Path f = dir.resolve("shard-" + body.length);
    Files.write(f, ShardFile.encode(PACK, 0, 2, 1, body.length * 2, body, KEY));
    return f;
  }

  private static byte[] hostAnswer(byte[] nonce, Path file) throws Exception {
    try (FileChannel ch = FileChannel.open(file)) {
      return Challenge.answer(nonce, ch, ShardFile.HEADER);
    }
  }

  @Test
  void theHostsAnswerFromItsFile_matchesTheOwnersFromTheBody() throws Exception {
    for (int size : new int[] {0, 1, 4095, 4096, 4097, 100_000, 3_000_000}) {
      byte[] body = bytes(size, size);
      byte[] nonce = bytes(size + 1, Challenge.NONCE);
      assertArrayEquals(Challenge.answer(nonce, body), hostAnswer(nonce, stored(body)), "body of " + size + " bytes");
    }
  }

  @Test
  void anAnswerNeedsTheBytesAtTheNoncesOffsets() throws Exception {
    byte[] body = bytes(2, 3_000_000);
    byte[] nonce = bytes(3, Challenge.NONCE);
    byte[] right = Challenge.answer(nonce, body);
    long offset = Challenge.offset(nonce, 2, body.length);
    byte[] flipped = body.clone();
    flipped[(int) offset + 100] ^= 1;
    assertFalse(Arrays.equals(right, Challenge.answer(nonce, flipped)), "a changed byte inside a window");
    assertFalse(Arrays.equals(right, Challenge.answer(nonce, Arrays.copyOf(body, body.length - 1))), "truncated");
    assertFalse(Arrays.equals(right, Challenge.answer(bytes(4, Challenge.NONCE), body)), "another nonce");
    assertArrayEquals(right, Challenge.answer(nonce, body.clone()), "the same bytes give the same answer");
    byte[] inPack = bytes(5, body.length + 1_000); // the body as a slice of a larger buffer
    System.arraycopy(body, 0, inPack, 777, body.length);
    assertArrayEquals(right, Challenge.answer(nonce, inPack, 777, body.length), "the same bytes at an offset");
  }

  @Test
  void offsetsSpreadOverTheWholeBody() {
    int body = 10_000_000;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int n = 0; n < 500; n++) {
      long o = Challenge.offset(bytes(n, Challenge.NONCE), n % Challenge.WINDOWS, body);
      assertTrue(o >= 0 && o + Challenge.WINDOW <= body, "window inside the body: " + o);
      min = Math.min(min, o);
      max = Math.max(max, o);
    }
    assertTrue(min < body / 20 && max > body - body / 20, "offsets reach both ends: " + min + ".." + max);
  }

  @Test
  void freshChallengesAreNoncesWithTheirAnswers() {
    byte[] body = bytes(5, 50_000);
    byte[] all = Challenge.fresh(body, new SecureRandom());
    int each = Challenge.NONCE + Challenge.ANSWER;
    assertEquals(Challenge.PER_SHARD * each, all.length);
    for (int i = 0; i < Challenge.PER_SHARD; i++) {
      byte[] nonce = Arrays.copyOfRange(all, i * each, i * each + Challenge.NONCE);
      assertArrayEquals(Challenge.answer(nonce, body), Arrays.copyOfRange(all, i * each + Challenge.NONCE, (i + 1) * each));
    }
  }

  @Test
  void theHostsScrubFindsRotTruncationAndStrangers() throws Exception {
    byte[] body = bytes(6, 200_000);
    Path f = stored(body);
    assertNull(ShardFile.scrubProblem(f), "an intact shard passes");
    byte[] b = Files.readAllBytes(f);
    b[ShardFile.HEADER + 150_000] ^= 0x10;
    Files.write(f, b);
    assertTrue(ShardFile.scrubProblem(f).contains("checksum"), ShardFile.scrubProblem(f));
    Files.write(f, Arrays.copyOf(Files.readAllBytes(stored(body)), ShardFile.HEADER + 1000));
    assertTrue(ShardFile.scrubProblem(f).contains("header says"), ShardFile.scrubProblem(f));
    Files.write(f, bytes(7, 5000));
    assertTrue(ShardFile.scrubProblem(f).contains("not a shard"), ShardFile.scrubProblem(f));
    Files.write(f, new byte[10]);
    assertTrue(ShardFile.scrubProblem(f).contains("truncated"), ShardFile.scrubProblem(f));
  }
}
