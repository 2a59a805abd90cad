package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a source leaves out (from the backup after it is set on), and removing a source. */
class SourcesIT {
  @TempDir Path dir;

  @Test
  void excludedPaths_areNotStored_untilThePatternIsDropped() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app/node_modules/lib"));
    Files.createDirectories(src.resolve("build/cache"));
    Files.createDirectories(src.resolve("notes/build/cache"));
    Files.writeString(src.resolve("app/main.js"), "main");
    Files.writeString(src.resolve("app/node_modules/lib/index.js"), "dependency");
    Files.writeString(src.resolve("report.tmp"), "scratch");
    Files.writeString(src.resolve("build/cache/blob"), "cached");
    Files.writeString(src.resolve("build/keep.txt"), "kept");
    Files.writeString(src.resolve("notes/build/cache/blob"), "not at the top: kept");
    Repo repo = Repo.create(dir, "a", "b");

    // a pattern that cannot work is refused, and the source is not added
    Cli.Result bad = repo.run("source", "add", src.toString(), "--name", "s", "--exclude", "[oops");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.stderr().contains("EXCLUDE_INVALID") && bad.stderr().contains("'[oops'"), bad::toString);
    assertEquals(0, repo.json("source", "list").size());

    repo.ok("source", "add", src.toString(), "--name", "s", "--exclude", "*.tmp", "--exclude", "node_modules",
        "--exclude", "/build/cache");
    JsonNode listed = repo.json("source", "list").get(0);
    assertEquals("[\"*.tmp\",\"node_modules\",\"/build/cache\"]", listed.get("excludes").toString());
    assertTrue(repo.ok("source", "list").stdout().contains("leaves out *.tmp, node_modules, /build/cache"));
    String first = repo.json("backup", "s").get("snapshotId").asText();
    Path out = dir.resolve("out");
    repo.ok("restore", first, "--target", out.toString());
    assertEquals("main", Files.readString(out.resolve("app/main.js")));
    assertFalse(Files.exists(out.resolve("app/node_modules")));
    assertFalse(Files.exists(out.resolve("report.tmp")));
    assertFalse(Files.exists(out.resolve("build/cache")));
    assertEquals("kept", Files.readString(out.resolve("build/keep.txt")));
    assertEquals("not at the top: kept", Files.readString(out.resolve("notes/build/cache/blob")));

    // changing the patterns: refused changes change nothing; a dropped one counts from the next backup
    assertEquals(2, repo.run("source", "set", "s").exitCode(), "nothing to change");
    Cli.Result unknown = repo.run("source", "set", "s", "--no-exclude", "*.bak");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.stderr().contains("EXCLUDE_UNKNOWN"), unknown::toString);
    repo.ok("source", "set", "s", "--no-exclude", "*.tmp", "--exclude", "/notes");
    assertEquals("[\"node_modules\",\"/build/cache\",\"/notes\"]",
        repo.json("source", "list").get(0).get("excludes").toString());
    repo.ok("backup", "s");
    Path again = dir.resolve("again");
    repo.ok("restore", "latest", "--target", again.toString());
    assertEquals("scratch", Files.readString(again.resolve("report.tmp")));
    assertFalse(Files.exists(again.resolve("notes")));
    Path old = dir.resolve("old");
    repo.ok("restore", first, "--target", old.toString());
    assertFalse(Files.exists(old.resolve("report.tmp")), "a snapshot keeps what it holds");
    assertTrue(Files.exists(old.resolve("notes/build/cache/blob")));

    // files over a size, from the next backup on; 'none' lifts the limit, 0 is no limit to set
    repo.ok("source", "set", "s", "--exclude-larger-than", "5");
    assertTrue(repo.ok("source", "list").stdout().contains("files over 5 B"));
    repo.ok("backup", "s");
    Path small = dir.resolve("small");
    repo.ok("restore", "latest", "--target", small.toString());
    assertEquals("main", Files.readString(small.resolve("app/main.js")), "4 bytes: kept");
    assertFalse(Files.exists(small.resolve("report.tmp")), "7 bytes: left out");
    assertEquals(2, repo.run("source", "set", "s", "--exclude-larger-than", "0").exitCode());
    repo.ok("source", "set", "s", "--exclude-larger-than", "none");
    assertTrue(repo.json("source", "list").get(0).get("excludeLargerThan").isNull());

    // a pattern with ! keeps what an earlier one leaves out; alone it is refused and changes nothing
    Files.writeString(src.resolve("app/debug.log"), "noise");
    Files.writeString(src.resolve("app/important.log"), "keep me");
    Cli.Result lone = repo.run("source", "set", "s", "--no-exclude", "node_modules", "--no-exclude", "/build/cache",
        "--no-exclude", "/notes", "--exclude", "!important.log");
    assertEquals(2, lone.exitCode(), lone::toString);
    assertTrue(lone.stderr().contains("EXCLUDE_INVALID"), lone::toString);
    assertEquals(3, repo.json("source", "list").get(0).get("excludes").size());
    repo.ok("source", "set", "s", "--exclude", "*.log", "--exclude", "!important.log");
    assertTrue(repo.ok("source", "list").stdout().contains("*.log, but not important.log"));
    repo.ok("backup", "s");
    Path logs = dir.resolve("logs");
    repo.ok("restore", "latest", "--target", logs.toString());
    assertEquals("keep me", Files.readString(logs.resolve("app/important.log")));
    assertFalse(Files.exists(logs.resolve("app/debug.log")));

    // a restore leaves out what its own patterns match; a bad one is refused before anything is written
    Path part = dir.resolve("part");
    Cli.Result refused = repo.run("restore", "latest", "--target", part.toString(), "--exclude", "dir/");
    assertEquals(2, refused.exitCode(), refused::toString);
    assertTrue(refused.stderr().contains("EXCLUDE_INVALID"), refused::toString);
    assertFalse(Files.exists(part));
    repo.ok("restore", "latest", "--target", part.toString(), "--exclude", "/build", "--exclude", "*.log",
        "--exclude", "!important.log");
    assertEquals("main", Files.readString(part.resolve("app/main.js")));
    assertEquals("keep me", Files.readString(part.resolve("app/important.log")));
    assertFalse(Files.exists(part.resolve("build")), "a directory left out with all it holds");
    Path older = dir.resolve("older");
    repo.ok("restore", first, "--target", older.toString(), "--exclude", "/build");
    assertFalse(Files.exists(older.resolve("build")));
    assertTrue(Files.exists(older.resolve("notes/build/cache/blob")), "only the top's build");
    Path justApp = dir.resolve("just-app");
    repo.ok("restore", "latest", "--target", justApp.toString(), "--include", "app", "--exclude", "main.js");
    try (var listing = Files.list(justApp.resolve("app"))) {
      assertEquals(java.util.List.of("important.log"), listing.map(x -> x.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(justApp.resolve("notes")));
  }

  /**
   * backup --dry-run walks as the backup does and stores nothing: its counts are the snapshot's the
   * backup then makes, what it would read is what the backup reads, and --list names each new,
   * changed and left-out entry (odd names escaped).
   */
  @Test
  void aDryRun_tellsWhatTheBackupThenDoes_andStoresNothing() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app/node_modules/lib"));
    Files.writeString(src.resolve("app/main.js"), "main");
    Files.writeString(src.resolve("app/node_modules/lib/index.js"), "dependency");
    Files.writeString(src.resolve("report.tmp"), "scratch");
    Files.writeString(src.resolve("big.bin"), "x".repeat(200));
    Files.createDirectories(src.resolve(".cache"));
    Files.writeString(src.resolve(".cache/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55");
    Files.writeString(src.resolve(".cache/thumb"), "thumbnail");
    Files.writeString(src.resolve("one.txt"), "y".repeat(50));
    Files.createLink(src.resolve("two.txt"), src.resolve("one.txt"));
    Files.writeString(src.resolve("line\nbreak.txt"), "odd");
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s", "--exclude", "*.tmp", "--exclude", "node_modules",
        "--exclude-caches", "--exclude-larger-than", "100");

    JsonNode dry = repo.json("backup", "s", "--dry-run");
    assertEquals(0, repo.json("snapshots").size(), "a dry run stores no snapshot");
    assertEquals(0, repo.shardFileCount("a", "b"), "and no shard");
    assertEquals(2, dry.get("excluded").asInt(), dry::toString); // report.tmp, app/node_modules
    assertEquals(1, dry.get("emptiedDirs").asInt(), dry::toString);
    assertEquals(1, dry.get("tooLarge").asInt(), dry::toString);
    assertEquals(dry.get("files").asLong(), dry.get("newFiles").asLong(), "no snapshot yet: every file is new");
    JsonNode backup = repo.json("backup", "s");
    for (String f : new String[] {"files", "dirs", "bytes"}) {
      assertEquals(backup.get(f).asLong(), dry.get(f).asLong(), f + ": " + dry + " against " + backup);
    }
    assertEquals(backup.get("bytesRead").asLong(), dry.get("bytesToRead").asLong(), "a hard-linked file read once");

    Files.writeString(src.resolve("app/main.js"), "main, longer");
    Files.writeString(src.resolve("new.txt"), "new");
    Cli.Result listed = repo.ok("backup", "s", "--dry-run", "--list");
    String out = listed.stdout();
    for (String line : new String[] {"changed    app/main.js", "new        new.txt", "excluded   report.tmp",
        "excluded   app/node_modules/", "cache      .cache/", "too-large  big.bin", "unchanged: 3 files"}) {
      assertTrue(out.contains(line), line + " in:\n" + out);
    }
    assertFalse(out.contains("one.txt") || out.contains("line\nbreak"), "unchanged entries are not listed: " + out);
    JsonNode again = repo.json("backup", "s", "--dry-run", "--list");
    assertEquals(2, again.get("newFiles").asInt() + again.get("changedFiles").asInt(), again::toString);
    assertEquals(6, again.get("entries").size(), again::toString);
    JsonNode second = repo.json("backup", "s");
    assertEquals(second.get("bytesRead").asLong(), again.get("bytesToRead").asLong());
    assertEquals(second.get("files").asLong(), again.get("files").asLong());

    Files.writeString(src.resolve("line\nbreak.txt"), "odd, changed");
    String escaped = repo.ok("backup", "s", "--dry-run", "--list").stdout();
    assertTrue(escaped.contains("changed    line") && !escaped.contains("line\nbreak"), escaped);

    Cli.Result notDry = repo.run("backup", "s", "--list");
    assertEquals(2, notDry.exitCode(), notDry::toString);
    assertTrue(notDry.stderr().contains("LIST_NEEDS_DRY_RUN"), notDry::toString);
    Cli.Result unknown = repo.run("backup", "nope", "--dry-run");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.stderr().contains("SOURCE_UNKNOWN"), unknown::toString);
    Trees.deleteTree(src);
    Cli.Result gone = repo.run("backup", "s", "--dry-run");
    assertEquals(1, gone.exitCode(), gone::toString);
    assertTrue(gone.stderr().contains("SOURCE_MISSING"), gone::toString);
  }

  /** A dry run says when the backup itself would stop for want of sites, and what to run. */
  @Test
  void aDryRun_warnsWhenTooFewSitesWouldTakeTheBackup() throws Exception {
    Path src = sourceWithOneFile();
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s");
    JsonNode fine = repo.json("backup", "s", "--dry-run");
    assertEquals(0, fine.get("warnings").size(), fine::toString);

    repo.ok("config", "set", "redundancy.tolerate", "2");
    Cli.Result dry = repo.run("backup", "s", "--dry-run");
    assertEquals(0, dry.exitCode(), dry::toString);
    assertTrue(dry.stderr().contains("NOT_ENOUGH_SITES") && dry.stderr().contains("needs at least 3")
        && dry.stderr().contains("config set redundancy.tolerate 1"), dry::toString);
    Cli.Result real = repo.run("backup", "s");
    assertEquals(1, real.exitCode(), real::toString);
    assertTrue(real.stderr().contains("NOT_ENOUGH_SITES"), "the dry run told the truth: " + real);
  }

  @Test
  void markedCachesAndOtherFileSystems_areRecordedEmpty() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve(".cache/thumbs"));
    Files.writeString(src.resolve(".cache/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# a cache");
    Files.writeString(src.resolve(".cache/thumbs/1.png"), "thumbnail");
    Files.createDirectories(src.resolve("notes"));
    Files.writeString(src.resolve("notes/CACHEDIR.TAG"), "not the signature");
    Files.writeString(src.resolve("notes/todo.txt"), "todo");
    Path mount = Files.createDirectories(src.resolve("mnt"));
    boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start().waitFor() == 0;
    try {
      if (mounted) {
        Files.writeString(mount.resolve("elsewhere.txt"), "on another file system");
      }
      Repo repo = Repo.create(dir, "a", "b");
      repo.ok("source", "add", src.toString(), "--name", "s", "--exclude-caches", "--one-file-system");
      JsonNode listed = repo.json("source", "list").get(0);
      assertTrue(listed.get("excludeCaches").asBoolean() && listed.get("oneFileSystem").asBoolean(), listed::toString);
      assertTrue(repo.ok("source", "list").stdout().contains("leaves out other file systems, caches (CACHEDIR.TAG)"));
      repo.ok("backup", "s");
      Path out = dir.resolve("out");
      repo.ok("restore", "latest", "--target", out.toString());
      assertTrue(Files.isDirectory(out.resolve(".cache")), "the cache directory itself is kept");
      try (var listing = Files.list(out.resolve(".cache"))) {
        assertEquals(0, listing.count(), "nothing of what it holds");
      }
      assertEquals("todo", Files.readString(out.resolve("notes/todo.txt")), "a tag without the signature marks nothing");
      assertTrue(Files.isDirectory(out.resolve("mnt")));
      assertFalse(Files.exists(out.resolve("mnt/elsewhere.txt")));

      // both can be turned off again, from the next backup on
      repo.ok("source", "set", "s", "--no-exclude-caches", "--no-one-file-system");
      repo.ok("backup", "s");
      Path again = dir.resolve("again");
      repo.ok("restore", "latest", "--target", again.toString());
      assertEquals("thumbnail", Files.readString(again.resolve(".cache/thumbs/1.png")));
      if (mounted) {
        assertEquals("on another file system", Files.readString(again.resolve("mnt/elsewhere.txt")));
      }
    } finally {
      if (mounted) {
        new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start().waitFor();
      }
    }
  }

  @Test
  void aSourceWithSnapshots_isRemovedOnlyWithThem() throws Exception {
    Path src = sourceWithOneFile();
    Repo repo = Repo.create(dir, "a", "b");
    repo.ok("source", "add", src.toString(), "--name", "s", "--schedule", "daily");
    repo.ok("source", "add", src.toString(), "--name", "empty");
    repo.ok("policy", "set", "s", "--keep-last", "3");
    repo.ok("backup", "s");
    repo.ok("backup", "s");

    Cli.Result refused = repo.run("source", "remove", "s");
    assertEquals(2, refused.exitCode(), refused::toString);
    assertTrue(refused.stderr().contains("SOURCE_HAS_SNAPSHOTS") && refused.stderr().contains("--forget"),
        refused::toString);
    assertEquals(2, repo.json("snapshots").size(), "a refusal changes nothing");
    assertEquals(2, repo.run("source", "remove", "nothing").exitCode());

    assertTrue(repo.ok("source", "remove", "empty").stdout().contains("Removed source empty."));
    Cli.Result removed = repo.ok("source", "remove", "s", "--forget");
    assertTrue(removed.stdout().contains("forgot its 2 snapshots"), removed::toString);
    assertEquals(0, repo.json("source", "list").size());
    assertEquals(0, repo.json("snapshots").size());
    assertTrue(Files.exists(src.resolve("a.txt")), "the files themselves stay");
    assertTrue(repo.json("prune").get("bytesFreed").asLong() > 0);
    // the name is free again
    repo.ok("source", "add", src.toString(), "--name", "s");
  }

  /** {@code dir/src} holding one small file. */
  private Path sourceWithOneFile() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    return src;
  }
}
