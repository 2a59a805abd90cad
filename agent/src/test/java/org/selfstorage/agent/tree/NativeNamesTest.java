package org.selfstorage.agent.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeNamesTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1); // one byte per char: "\u00ff" is the byte 0xff
  }

  /** Names a string cannot carry (Latin-1, stray bytes, a real U+FFFD) beside ones it can, and URI specials. */
  private static final List<byte[]> NAMES = List.of(b("plain.txt"), "caf\u00e9".getBytes(StandardCharsets.UTF_8),
      b("caf\u00e9"), b("bad\u00ff"), b("bad\u00fe"), "real-\ufffd".getBytes(StandardCharsets.UTF_8),
      b("odd %41 ?#&+;=:@!$'()*,[]{}"), b("new\nline"), b("-dash"), b("\u00ff".repeat(255)),
      b("\u00ed\u00a0\u0080-surrogate-half"));

  private static Set<String> hex(java.util.Collection<byte[]> names) {
    return names.stream().map(HexFormat.of()::formatHex).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void display_keepsUtf8AsItIs_andShowsEveryOtherByteAsHex_soNoTwoNamesReadAlike() {
    assertEquals("plain.txt", NativeNames.display(b("plain.txt")));
    assertEquals("caf\u00e9", NativeNames.display("caf\u00e9".getBytes(StandardCharsets.UTF_8)));
    assertEquals("real-\ufffd", NativeNames.display("real-\ufffd".getBytes(StandardCharsets.UTF_8)));
    assertEquals("caf\\xe9", NativeNames.display(b("caf\u00e9")));
    assertEquals("bad\\xff", NativeNames.display(b("bad\u00ff")));
    assertEquals("bad\\xfe", NativeNames.display(b("bad\u00fe")));
    // a lead byte without its continuation, then valid text again
    assertEquals("\\xe2x\u00e9", NativeNames.display(new byte[] {(byte) 0xe2, 'x', (byte) 0xc3, (byte) 0xa9}));
    // an encoded surrogate half is not UTF-8: three bytes shown
    assertEquals("\\xed\\xa0\\x80-surrogate-half", NativeNames.display(b("\u00ed\u00a0\u0080-surrogate-half")));
    Set<String> shown = NAMES.stream().map(NativeNames::display).collect(Collectors.toSet());
    assertEquals(NAMES.size(), shown.size(), "every name reads differently: " + shown);
  }

  @Test
  void namesGoOutAndComeBack_asTheSameBytes() throws Exception {
    Path sub = Files.createDirectory(NativeNames.resolve(dir, b("sub\u00ff")));
    for (byte[] name : NAMES) {
      Files.write(NativeNames.resolve(sub, name), name);
    }
    List<byte[]> listed = new java.util.ArrayList<>();
    try (var s = Files.newDirectoryStream(sub)) {
      for (Path p : s) {
        byte[] name = NativeNames.nameOf(p);
        listed.add(name);
        assertArrayEquals(name, Files.readAllBytes(p), "the file found under that name is the one written");
      }
    }
    assertEquals(hex(NAMES), hex(listed));
    try (var s = Files.newDirectoryStream(dir)) {
      assertEquals(hex(List.of(b("sub\u00ff"))), hex(java.util.stream.StreamSupport.stream(s.spliterator(), false)
          .map(NativeNames::nameOf).toList()), "a directory's own name, which toUri marks with a slash");
    }
  }

  @Test
  void linkTargetsGoOutAndComeBack_asTheSameBytes() throws Exception {
    List<byte[]> targets = List.of(b("plain/target"), b("dir\u00ff/inner\u00e9"), b("../up\u00ff/x"),
        b("/abs\u00fe/../y"), b("./here\u00ff"), b("caf\u00e9"), "caf\u00e9".getBytes(StandardCharsets.UTF_8), b("/\u00ff"));
    int i = 0;
    for (byte[] target : targets) {
      Path link = dir.resolve("link" + i++);
      Files.createSymbolicLink(link, NativeNames.targetPath(target));
      assertEquals(HexFormat.of().formatHex(target), HexFormat.of().formatHex(NativeNames.targetOf(Files.readSymbolicLink(link))));
    }
  }

  @Test
  void onlyNamesAStringHoldsExactly_areNameableAsStrings() {
    assertTrue(NativeNames.nameableAsString(NativeNames.resolve(dir, b("plain"))));
    assertFalse(NativeNames.nameableAsString(NativeNames.resolve(dir, b("bad\u00ff"))));
  }
}
