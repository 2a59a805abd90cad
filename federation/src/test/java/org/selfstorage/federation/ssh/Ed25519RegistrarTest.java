package org.selfstorage.federation.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardStore;

/**
 * MINA is given Ed25519 alone from Bouncy Castle ({@link Ed25519Registrar}), so a JVM that serves
 * and uses partners never instantiates the whole Bouncy Castle provider. Checked in a JVM of its
 * own, because what MINA registers is decided once per JVM, by whichever code asks first.
 */
class Ed25519RegistrarTest {

  /** A host and a partner in one fresh JVM: a shard up and back over SSH, both keys Ed25519. */
  public static void main(String[] args) throws Exception {
    try (TestAgents agents = new TestAgents(Path.of(args[0]))) {
      agents.host(TestAgents.ALICE, "alice", 1 << 20);
      agents.start();
      ShardStore s = agents.store(TestAgents.ALICE, TestAgents.clientSettings());
      byte[] data = "one shard".getBytes(StandardCharsets.UTF_8);
      s.put(new ShardName("ab01.0"), data);
      assertArrayEquals(data, s.get(new ShardName("ab01.0")));
      System.out.println("ROUND TRIP OK");
    }
  }

  @Test
  void aServerAndAClient_workWithoutBouncyCastlesProvider(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.txt");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"), Ed25519RegistrarTest.class.getName(),
        dir.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end within a minute");
    String log = Files.readString(out);
    assertEquals(0, p.exitValue(), log.lines().filter(l -> !l.contains("[class,load]")).toList().toString());
    assertTrue(log.contains("ROUND TRIP OK"), "no round trip");
    assertTrue(log.contains("org.bouncycastle.jcajce.provider.asymmetric.edec.KeyFactorySpi"), "the check sees classes load");
    assertFalse(log.contains("org.bouncycastle.jce.provider.BouncyCastleProvider "), "Bouncy Castle's provider was loaded");
  }
}
