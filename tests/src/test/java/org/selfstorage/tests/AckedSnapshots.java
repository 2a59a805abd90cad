package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every snapshot a backup acknowledged (exit 0 or 3 with a snapshot id), with a copy of the source
 * tree as it was, so that any of them can later be restored and compared byte for byte: the
 * oracle behind "no acknowledged backup is ever lost".
 */
final class AckedSnapshots {
  private final Path copies;
  private final Map<String, Path> expected = new LinkedHashMap<>();
  private int restores;

  AckedSnapshots(Path copies) {
    this.copies = copies;
  }

  /** Records the snapshot a successful backup of {@code src} printed, with a copy of {@code src}. */
  String acknowledge(Cli.Result backup, Path src) throws Exception {
    JsonNode r = Repo.JSON.readTree(backup.stdout());
    String id = r.get("snapshotId").asText();
    Path copy = copies.resolve(id);
    Files.createDirectories(copies);
    Trees.run("cp", "-a", src.toString(), copy.toString());
    expected.put(id, copy);
    return id;
  }

  int size() {
    return expected.size();
  }

  List<String> ids() {
    return new ArrayList<>(expected.keySet());
  }

  /** Forgets a snapshot the test itself removed with {@code forget}. */
  void remove(String id) throws Exception {
    Path p = expected.remove(id);
    if (p != null) {
      Trees.deleteTree(p);
    }
  }

  /** Restores {@code id} through {@code owner} into a fresh directory and compares it; notes the result. */
  void verify(MeshAgent owner, String id, Path scratch, FaultReport.Scenario s) throws Exception {
    Path out = scratch.resolve("restore-" + (restores++));
    Cli.Result r = owner.run("restore", id, "--target", out.toString());
    boolean exact = false;
    try {
      assertEquals(0, r.exitCode(), () -> "acknowledged snapshot " + id + " did not restore: " + r);
      Trees.assertSameTree(expected.get(id), out);
      exact = true;
    } finally {
      s.restored(exact);
      Trees.deleteTree(out);
    }
  }

  /** Every acknowledged snapshot. */
  void verifyAll(MeshAgent owner, Path scratch, FaultReport.Scenario s) throws Exception {
    for (String id : ids()) {
      verify(owner, id, scratch, s);
    }
  }

  /** The newest {@code newest} snapshots plus one other picked by {@code random}: bounded time per step. */
  void verifySome(MeshAgent owner, Path scratch, FaultReport.Scenario s, int newest, Random random) throws Exception {
    List<String> all = ids();
    List<String> pick = new ArrayList<>(all.subList(Math.max(0, all.size() - newest), all.size()));
    if (all.size() > newest) {
      pick.add(all.get(random.nextInt(all.size() - newest)));
    }
    for (String id : pick) {
      verify(owner, id, scratch, s);
    }
  }
}
