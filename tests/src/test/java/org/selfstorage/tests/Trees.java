package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Deep comparison of two directory trees: names, types, content, modes, mtimes, links. */
final class Trees {
  private Trees() {}

  static List<Path> walk(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(root::relativize).sorted().toList();
    }
  }

  static void assertSameTree(Path expected, Path actual) throws IOException {
    List<Path> e = walk(expected);
    List<Path> a = walk(actual);
    // sets, not lists: removeAll on lists is quadratic, hours at 200,000 files
    java.util.Set<Path> inActual = new java.util.HashSet<>(a);
    java.util.Set<Path> inExpected = new java.util.HashSet<>(e);
    List<Path> missing = e.stream().filter(x -> !inActual.contains(x)).toList();
    List<Path> extra = a.stream().filter(x -> !inExpected.contains(x)).toList();
    if (!missing.isEmpty() || !extra.isEmpty()) {
      fail("trees differ; missing " + missing + ", extra " + extra);
    }
    for (Path rel : e) {
      if (rel.toString().isEmpty()) {
        continue;
      }
      assertSameEntry(expected.resolve(rel), actual.resolve(rel), rel);
    }
  }

  static Map<String, Object> attrs(Path p) throws IOException {
    return Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ino,nlink,uid,gid", LinkOption.NOFOLLOW_LINKS);
  }

  static void assertSameEntry(Path x, Path y, Path rel) throws IOException {
    Map<String, Object> ax = attrs(x);
    Map<String, Object> ay = attrs(y);
    int modeX = (Integer) ax.get("mode");
    int modeY = (Integer) ay.get("mode");
    assertEquals(Integer.toOctalString(modeX), Integer.toOctalString(modeY), "mode of " + rel);
    assertEquals(ax.get("lastModifiedTime"), ay.get("lastModifiedTime"), "mtime of " + rel);
    assertEquals(ax.get("uid"), ay.get("uid"), "owner of " + rel);
    if (Files.isSymbolicLink(x)) {
      assertEquals(Files.readSymbolicLink(x), Files.readSymbolicLink(y), "symlink target of " + rel);
      return;
    }
    if (Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)) {
      assertEquals(ax.get("size"), ay.get("size"), "size of " + rel);
      assertEquals(ax.get("nlink"), ay.get("nlink"), "link count of " + rel);
      if ((Long) ax.get("size") < (256L << 20)) {
        assertArrayEquals(Files.readAllBytes(x), Files.readAllBytes(y), "content of " + rel);
      } else {
        assertEquals(digest(x), digest(y), "content of " + rel);
      }
    }
  }

  static String digest(Path p) throws IOException {
    try (var in = Files.newInputStream(p)) {
      var d = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Allocated bytes on disk (st_blocks * 512), to tell holes from written zeros. */
  static long allocated(Path p) throws IOException, InterruptedException {
    Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
    String out = new String(proc.getInputStream().readAllBytes()).trim();
    proc.waitFor();
    return Long.parseLong(out) * 512;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + out);
    }
  }
}
