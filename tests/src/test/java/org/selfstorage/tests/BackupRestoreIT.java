package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree with every kind of entry and odd name goes through backup and restore unchanged. */
class BackupRestoreIT {
  @TempDir Path dir;

  static void writeRandom(Path p, int size, long seed) throws Exception {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    Files.write(p, b);
  }

  /** Builds the tree the issue lists: odd names, links, holes, special files, exact mtimes. */
  static void makeEverythingTree(Path src) throws Exception {
    Files.createDirectories(src.resolve("docs/empty-dir"));
    writeRandom(src.resolve("docs/random.bin"), 3_000_000, 1);
    Files.writeString(src.resolve("docs/notes.txt"), "hello\n".repeat(100_000));
    Files.createFile(src.resolve("docs/empty-file"));
    Files.writeString(src.resolve("new\nline"), "newline in name");
    Files.writeString(src.resolve("-leading-dash"), "dash");
    Files.writeString(src.resolve("a".repeat(255)), "long name");
    Files.writeString(src.resolve("caf\u00e9"), "NFC");
    Files.writeString(src.resolve("cafe\u0301"), "NFD");
    Files.writeString(src.resolve("\u65e5\u672c \ud83d\udcbe"), "cjk and emoji");
    Path deep = src;
    for (int i = 0; i < 60; i++) {
      deep = deep.resolve("d" + i);
    }
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("bottom.txt"), "deep");
    Files.createSymbolicLink(src.resolve("link-to-notes"), Path.of("docs/notes.txt"));
    Files.createSymbolicLink(src.resolve("dangling"), Path.of("does/not/exist"));
    Files.createSymbolicLink(src.resolve("absolute"), Path.of("/etc/hostname"));
    Files.createLink(src.resolve("hardlink-to-random"), src.resolve("docs/random.bin"));
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse.img").toFile(), "rw")) {
      f.setLength(1L << 30);
      f.seek(512L << 20);
      f.write("in the middle of a hole".getBytes(StandardCharsets.UTF_8));
    }
    Trees.run("mkfifo", src.resolve("fifo").toString());
    Files.writeString(src.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    Files.setAttribute(src.resolve("script.sh"), "unix:mode", 0750);
    Files.writeString(src.resolve("setuid"), "x");
    Files.setAttribute(src.resolve("setuid"), "unix:mode", 04755);
    Files.setAttribute(src.resolve("docs/empty-dir"), "unix:mode", 0700);
    // mtimes last, with nanoseconds, deepest first so directory mtimes stay as set
    try (var s = Files.walk(src)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        // never through a FIFO: setting times opens the file, and opening a FIFO waits for a writer
        if (Files.isSymbolicLink(p)) {
          // the link's own time, which a restore sets on the link and never on its target
          Trees.run("touch", "--no-dereference", "-m", "-d", "@" + (1_500_000_000L + p.toString().length()) + ".987654321",
              p.toString());
        } else if (!p.getFileName().toString().equals("fifo")) {
          Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000L + p.toString().length(),
              123_456_789)));
        }
      }
    }
  }

  @Test
  void restore_ofEverythingTree_isExact() throws Exception {
    Path src = dir.resolve("src");
    makeEverythingTree(src);
    Repo repo = Repo.create(dir, "usb1", "usb2", "nas");
    repo.ok("source", "add", src.toString(), "--name", "all");
    Cli.Result backup = repo.ok("backup", "all");
    assertTrue(backup.stdout().contains("2+1 shards"), backup.toString());

    Path out = dir.resolve("restored");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out);

    assertTrue(Files.isSameFile(out.resolve("docs/random.bin"), out.resolve("hardlink-to-random")),
        "hard links stay one file");
    assertTrue(Trees.allocated(out.resolve("sparse.img")) < (64L << 20),
        "the 1 GiB sparse file keeps its holes, allocated " + Trees.allocated(out.resolve("sparse.img")));
    assertEquals("p", Files.readAttributes(out.resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS)
        .get("mode") instanceof Integer m && (m & 0170000) == 0010000 ? "p" : "not a fifo");
  }

  @Test
  void restore_keepsNamesThatAreNotUtf8_byteForByte() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    // made by the shell, so the names are the bytes written here whatever this JVM's encoding is;
    // bad\377 and bad\376 differ only in bytes no UTF-8 decoder keeps: a lossy name would make them one
    Trees.run("sh", "-c", "cd \"$1\" && printf ff > \"$(printf 'bad\\377')\" && printf fe > \"$(printf 'bad\\376')\""
        + " && printf latin1 > \"$(printf 'caf\\351')\" && mkdir \"$(printf 'dir\\377')\""
        + " && printf inner > \"$(printf 'dir\\377/inner\\351')\""
        + " && ln -s \"$(printf 'dir\\377/inner\\351')\" \"$(printf 'link\\351')\""
        + " && ln -s \"$(printf '../up\\377/x')\" dangling-odd && mkfifo \"$(printf 'fifo\\351')\""
        + " && touch -h -d @1600000000.123456789 \"$(printf 'link\\351')\"", "sh", src.toString());
    try (var s = Files.list(src)) {
      assertEquals(7, s.count(), "the shell made seven entries");
    }
    Repo repo = Repo.create(dir, "s1", "s2", "s3");
    repo.ok("source", "add", src.toString(), "--name", "odd");
    String dry = repo.ok("backup", "odd", "--dry-run", "--list").stdout();
    assertTrue(dry.contains("new        bad\\xff") && dry.contains("new        dir\\xff/inner\\xe9"),
        "a dry run names them as ls does: " + dry);
    repo.ok("backup", "odd");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString());
    Trees.assertSameTree(src, out); // compares paths as bytes, and contents and link targets
    try (var s = Files.list(src)) {
      for (Path p : s.toList()) {
        if (Files.isSymbolicLink(p)) { // a link's own time is set by a command, which needs a name it can take
          assertEquals(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS),
              Files.getLastModifiedTime(out.resolve(src.relativize(p)), LinkOption.NOFOLLOW_LINKS), "time of link " + p);
        }
      }
    }
    try (var s = Files.list(out)) {
      assertEquals(7, s.count(), "nothing left over under a scratch name");
    }
    // what ls shows for such a name (each byte that is not UTF-8 as \xNN) is what --include takes
    java.util.Set<String> listed = new java.util.TreeSet<>();
    repo.json("ls", "latest").forEach(e -> listed.add(e.get("path").asText()));
    assertTrue(listed.containsAll(java.util.List.of("bad\\xff", "bad\\xfe", "caf\\xe9", "dir\\xff/inner\\xe9")), "ls: " + listed);
    Path picked = dir.resolve("picked");
    repo.ok("restore", "latest", "--target", picked.toString(), "--include", "bad\\xfe", "--include", "dir\\xff/inner\\xe9");
    Trees.run("sh", "-c", "cd \"$1\" && test \"$(cat \"$(printf 'bad\\376')\")\" = fe && test ! -e \"$(printf 'bad\\377')\""
        + " && test \"$(cat \"$(printf 'dir\\377/inner\\351')\")\" = inner && test ! -e \"$(printf 'caf\\351')\"",
        "sh", picked.toString());
  }

  @Test
  void restore_withInclude_restoresOnlyThatPath() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("a/b"));
    Files.createDirectories(src.resolve("c"));
    Files.writeString(src.resolve("a/b/wanted.txt"), "wanted");
    Files.writeString(src.resolve("a/other.txt"), "other");
    Files.writeString(src.resolve("c/not.txt"), "not");
    Repo repo = Repo.create(dir, "s1", "s2");
    repo.ok("source", "add", src.toString(), "--name", "x");
    repo.ok("backup", "x");
    Path out = dir.resolve("out");
    repo.ok("restore", "latest", "--target", out.toString(), "--include", "a/b");
    assertEquals("wanted", Files.readString(out.resolve("a/b/wanted.txt")));
    assertTrue(Files.notExists(out.resolve("a/other.txt")));
    assertTrue(Files.notExists(out.resolve("c")));
  }

  @Test
  void snapshotsAndLs_showWhatWasSaved_asJson() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("sub/f.txt"), "content");
    Repo repo = Repo.create(dir, "s1", "s2", "s3");
    repo.ok("source", "add", src.toString(), "--name", "docs");
    repo.ok("backup", "docs");
    JsonNode snaps = repo.json("snapshots");
    assertEquals(1, snaps.size());
    String id = snaps.get(0).get("id").asText();
    assertEquals("docs", snaps.get(0).get("source").asText());
    JsonNode ls = repo.json("ls", id.substring(0, 6), "sub");
    assertEquals("sub", ls.get(0).get("path").asText());
    assertEquals("sub/f.txt", ls.get(1).get("path").asText());
    assertEquals(7, ls.get(1).get("size").asLong());
    JsonNode status = repo.json("status");
    assertEquals(1, status.get("snapshots").asLong());
    assertEquals(0, status.get("health").get("lost").asLong());
    assertEquals("2+1", status.get("layout").asText());
  }
}
