package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second backup costs what changed, not what exists. */
class IncrementalIT {
  @TempDir Path dir;

  @Test
  void diff_namesWhatChangedBetweenTwoBackups() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("docs"));
    Files.createDirectories(src.resolve("old"));
    Files.writeString(src.resolve("docs/a.txt"), "a");
    Files.writeString(src.resolve("docs/b.txt"), "b");
    Files.writeString(src.resolve("old/x"), "x");
    Files.writeString(src.resolve("-dash\nname"), "odd");
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s");
    String first = repo.json("backup", "s").get("snapshotId").asText();
    Files.writeString(src.resolve("docs/b.txt"), "bigger now");
    Files.setPosixFilePermissions(src.resolve("docs/a.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.writeString(src.resolve("docs/c.txt"), "c");
    Files.delete(src.resolve("old/x"));
    Files.delete(src.resolve("old"));
    repo.ok("backup", "s");

    JsonNode d = repo.json("diff", first.substring(0, 8), "latest");
    java.util.List<String> lines = new java.util.ArrayList<>();
    d.get("changes").forEach(c -> lines.add(c.get("kind").asText() + " " + c.get("path").asText()));
    // docs/ itself: its mtime moved when c.txt was added
    assertEquals(java.util.List.of("U docs", "U docs/a.txt", "M docs/b.txt", "+ docs/c.txt", "- old", "- old/x"), lines,
        d.toString());
    assertEquals(10 - 1 + 1, d.get("bytesAdded").asLong(), "b grew by 9, c is 1: " + d);
    assertEquals(1, d.get("bytesRemoved").asLong(), "x was 1: " + d);
    String text = repo.ok("diff", first, "latest").stdout();
    assertTrue(text.contains("M    docs/b.txt") && text.contains("-    old/\n")
        && text.contains("1 added, 2 removed, 1 changed, 0 type changed, 2 metadata only"), text);
    assertEquals(2, repo.run("diff", first, "nosuchsnapshot").exitCode());

    // find: by name in every snapshot, newest first
    JsonNode found = repo.json("find", "*.TXT", "-i");
    java.util.List<String> hits = new java.util.ArrayList<>();
    found.forEach(f -> hits.add(f.get("snapshot").asText() + " " + f.get("path").asText()));
    String second = repo.json("snapshots").get(1).get("shortId").asText();
    assertEquals(java.util.List.of(second + " docs/a.txt", second + " docs/b.txt", second + " docs/c.txt",
        first.substring(0, 8) + " docs/a.txt", first.substring(0, 8) + " docs/b.txt"), hits);
    assertEquals(0, repo.json("find", "*.TXT").size(), "case matters without -i");
    String x = repo.ok("find", "x").stdout();
    assertTrue(x.contains("snapshot " + first.substring(0, 8)) && x.contains("old/x") && x.contains("1 matches"), x);
    Cli.Result bad = repo.run("find", "[");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.stderr().contains("is not a glob pattern"), bad::toString);
  }

  @Test
  void dump_writesOneFileOfASnapshot_byteExact_holesAndAll() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    BackupRestoreIT.writeRandom(src.resolve("sub/big.bin"), 5_000_000, 11); // several chunks, two packs
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse.img").toFile(), "rw")) {
      f.write(new byte[] {1, 2, 3});
      f.seek(6L << 20); // a 6 MiB hole, stored as zeros not kept
      f.write(new byte[] {4, 5, 6});
    }
    Files.writeString(src.resolve("odd name\n"), "text\n");
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    repo.ok("backup", "s");
    // the file changes after the backup: dump gives the snapshot's bytes, not the disk's
    byte[] backedUp = Files.readAllBytes(src.resolve("sub/big.bin"));
    BackupRestoreIT.writeRandom(src.resolve("sub/big.bin"), 5_000_000, 12);

    for (String[] c : new String[][] {{"sub/big.bin"}, {"/sparse.img"}, {"odd name\n"}}) {
      Path out = dir.resolve("dumped");
      Process p = new ProcessBuilder(Cli.command(repo.home, "dump", "latest", c[0])).redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertEquals(0, p.waitFor(), "dump " + c[0]);
      byte[] want = c[0].equals("sub/big.bin") ? backedUp : Files.readAllBytes(src.resolve(c[0].replaceFirst("^/", "")));
      assertTrue(java.util.Arrays.equals(want, Files.readAllBytes(out)), "dump " + c[0] + " is byte-exact");
    }
    Cli.Result dirDump = repo.run("dump", "latest", "sub");
    assertEquals(2, dirDump.exitCode(), dirDump::toString);
    assertTrue(dirDump.stderr().contains("'sub' in snapshot") && dirDump.stderr().contains("is a dir, not a file")
        && dirDump.stderr().contains("restore"), dirDump::toString);
    Cli.Result missing = repo.run("dump", "latest", "sub/nope");
    assertEquals(2, missing.exitCode(), missing::toString);
    assertTrue(missing.stderr().contains("has no file 'sub/nope'"), missing::toString);
    assertEquals(2, repo.run("dump", "latest", "sparse.img/x").exitCode(), "a file is not a directory");
    // output that cannot be written (a full disk) fails the dump rather than ending "ok" with part of it
    Path err = dir.resolve("full.err");
    Process full = new ProcessBuilder(Cli.command(repo.home, "dump", "latest", "sub/big.bin"))
        .redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
    assertEquals(1, full.waitFor());
    assertTrue(Files.readString(err).contains("OUTPUT_FAILED"), Files.readString(err));
    Process listing = new ProcessBuilder(Cli.command(repo.home, "ls", "latest"))
        .redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
    assertEquals(1, listing.waitFor(), "any command's output, not only dump's");
    assertTrue(Files.readString(err).contains("OUTPUT_FAILED: writing the output failed part-way"), Files.readString(err));
  }

  @Test
  void unchangedTree_readsNoFile_andAddsOnlyTheSnapshot() throws Exception {
    Path src = dir.resolve("src");
    for (int d = 0; d < 5; d++) {
      Files.createDirectories(src.resolve("d" + d));
      for (int f = 0; f < 40; f++) {
        BackupRestoreIT.writeRandom(src.resolve("d" + d + "/f" + f), 20_000 + f, d * 100 + f);
      }
    }
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    JsonNode first = repo.json("backup", "s");
    assertEquals(200, first.get("filesRead").asLong());
    JsonNode second = repo.json("backup", "s");
    assertEquals(0, second.get("filesRead").asLong(), second.toString());
    assertEquals(0, second.get("newBlobs").asLong(), "an unchanged tree re-uses every tree blob: " + second);
    assertEquals(0, second.get("storedBytes").asLong(), second.toString());

    Files.writeString(src.resolve("d3/f7"), "changed");
    JsonNode third = repo.json("backup", "s");
    assertEquals(1, third.get("filesRead").asLong(), third.toString());
    // the file's chunk, its directory's tree and the root tree
    assertEquals(3, third.get("newBlobs").asLong(), third.toString());
  }

  @Test
  void insertionInMiddleOfLargeFile_storesOnlyChunksAroundIt() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Path image = src.resolve("disk.img");
    int size = 96 << 20;
    byte[] data = new byte[size];
    new Random(5).nextBytes(data);
    Files.write(image, data);
    Repo repo = Repo.create(dir, "a", "b", "c");
    repo.ok("source", "add", src.toString(), "--name", "s");
    JsonNode first = repo.json("backup", "s");
    long chunks = first.get("newBlobs").asLong();
    assertTrue(chunks > 40, "about one chunk per MiB: " + first);

    byte[] insert = new byte[4096];
    new Random(6).nextBytes(insert);
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(0);
      f.write(data, 0, size / 2);
      f.write(insert);
      f.write(data, size / 2, size / 2);
    }
    JsonNode second = repo.json("backup", "s");
    long newData = second.get("newBlobs").asLong() - 1; // minus the root tree blob
    assertTrue(newData >= 1 && newData <= 3, "only the chunks around the insertion are new: " + second);
    assertTrue(second.get("addedBytes").asLong() < (10L << 20), second.toString());

    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);
  }
}
