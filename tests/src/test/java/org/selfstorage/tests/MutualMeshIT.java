package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md L3: every agent is owner and partner at once, with reciprocal quotas, and all
 * back up at the same time while serving each other. Every backup completes, every host keeps
 * exactly what its owners record there and no more than it promised, every snapshot restores.
 */
class MutualMeshIT {
  private static final long QUOTA = 40L << 20;

  @TempDir Path dir;

  @Test
  void everyoneBacksUpToEveryone_atOnce_withinQuotas() throws Exception {
    List<MeshAgent> agents = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        MeshAgent a = MeshAgent.create(dir, "m" + i, "127.0.0." + (50 + i));
        a.start();
        agents.add(a);
      }
      for (int i = 0; i < 3; i++) {
        for (int j = i + 1; j < 3; j++) {
          agents.get(j).ok("join", agents.get(i).invite("40M"), "--quota", "40M");
        }
      }
      List<Path> sources = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path src = dir.resolve("src-" + i);
        Files.createDirectories(src);
        BackupRestoreIT.writeRandom(src.resolve("big.bin"), 6_000_000, 70 + i);
        for (int f = 0; f < 20; f++) {
          Files.writeString(src.resolve("note-" + f + ".txt"), "agent " + i + " note " + f);
        }
        agents.get(i).ok("source", "add", src.toString(), "--name", "home");
        sources.add(src);
      }

      // all three back up twice, at the same time, while serving each other's shards
      List<CompletableFuture<List<Cli.Result>>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        MeshAgent a = agents.get(i);
        Path src = sources.get(i);
        int seed = i;
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            Cli.Result first = a.run("backup", "home");
            BackupRestoreIT.writeRandom(src.resolve("more.bin"), 4_000_000, 90 + seed);
            return List.of(first, a.run("backup", "home"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (int i = 0; i < 3; i++) {
        String who = agents.get(i).name;
        for (Cli.Result r : runs.get(i).get(180, TimeUnit.SECONDS)) {
          assertEquals(0, r.exitCode(), () -> who + " backup: " + r);
        }
      }

      for (int i = 0; i < 3; i++) {
        MeshAgent owner = agents.get(i);
        JsonNode rows = owner.json("partners");
        for (MeshAgent host : agents) {
          if (host == owner) {
            continue;
          }
          JsonNode row = MeshAgent.row(rows, host.name);
          assertTrue(row.get("storedWithThem").asLong() > 0, owner.name + " stored with " + host.name + ": " + row);
          assertTrue(row.get("storedWithThem").asLong() <= QUOTA, "within the quota " + host.name + " gave: " + row);
          assertEquals(row.get("shards").asLong(), hostedFiles(host, owner.name),
              host.name + " keeps exactly what " + owner.name + " records there");
        }
        Path out = dir.resolve("restored-" + i);
        owner.ok("restore", "latest", "--target", out.toString());
        Trees.assertSameTree(sources.get(i), out);
      }
    } finally {
      for (MeshAgent a : agents) {
        a.close();
      }
    }
  }

  private static long hostedFiles(MeshAgent host, String owner) throws Exception {
    Path shards = host.home().resolve("hosted").resolve(owner).resolve("shards");
    if (!Files.isDirectory(shards)) {
      return 0;
    }
    try (var w = Files.walk(shards)) {
      return w.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("catalog.")).count();
    }
  }
}
