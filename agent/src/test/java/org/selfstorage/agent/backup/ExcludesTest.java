package org.selfstorage.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludesTest {

  private static boolean out(List<String> patterns, String path) {
    return Excludes.of(patterns).excludes(Path.of(path));
  }

  @Test
  void aPatternWithoutSlash_matchesANameAtAnyDepth() {
    assertTrue(out(List.of("*.tmp"), "a.tmp"));
    assertTrue(out(List.of("*.tmp"), "deep/down/b.tmp"));
    assertFalse(out(List.of("*.tmp"), "a.tmp.txt"));
    assertTrue(out(List.of("node_modules"), "app/node_modules"));
    assertFalse(out(List.of("node_modules"), "app/node_modules_old"));
    assertTrue(out(List.of(".cache"), ".cache"), "dot files are names like any other");
    assertTrue(out(List.of("?.log"), "x/1.log"));
    assertFalse(out(List.of("?.log"), "x/10.log"));
  }

  @Test
  void aPatternWithASlash_matchesThePathFromTheTop() {
    assertTrue(out(List.of("/build/cache"), "build/cache"));
    assertTrue(out(List.of("build/cache"), "build/cache"), "the leading slash is optional");
    assertFalse(out(List.of("/build/cache"), "notes/build/cache"));
    assertTrue(out(List.of("/notes.txt"), "notes.txt"));
    assertFalse(out(List.of("/notes.txt"), "sub/notes.txt"), "anchored at the top");
    assertTrue(out(List.of("photos/*/raw"), "photos/2026/raw"));
    assertFalse(out(List.of("photos/*/raw"), "photos/2026/06/raw"), "* stays within a name");
    assertTrue(out(List.of("photos/**/raw"), "photos/2026/06/raw"), "** crosses directories");
    assertTrue(out(List.of("{a,b}/x"), "b/x"));
  }

  @Test
  void noPatterns_leaveOutNothing() {
    assertFalse(Excludes.NONE.excludes(Path.of("anything")));
    assertFalse(out(List.of(), "a"));
    assertEquals(List.of("*.tmp", "/x"), Excludes.of(List.of("*.tmp", "/x")).patterns());
  }

  @Test
  void patternsThatCannotMeanWhatTheySay_areRefusedWithTheRule() {
    for (String bad : List.of("", "/", "dir/", "a//b", "line\nbreak", "nul\0")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Excludes.of(List.of(bad)), bad);
      assertFalse(e.getMessage().isBlank());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Excludes.of(List.of("[oops")));
    assertTrue(e.getMessage().startsWith("'[oops' is not a valid pattern"), e.getMessage());
  }

  @Test
  void aPatternWithABang_keepsWhatAnEarlierOneLeavesOut_theLastMatchDeciding() {
    List<String> logs = List.of("*.log", "!important.log");
    assertTrue(out(logs, "x/debug.log"));
    assertFalse(out(logs, "x/important.log"));
    assertFalse(out(logs, "notes.txt"));
    assertTrue(out(List.of("*.log", "!important.log", "/old/*"), "old/important.log"),
        "a later pattern leaves out again");
    assertFalse(out(List.of("*.log", "!important.log", "/old/*"), "new/important.log"));
    List<String> years = List.of("/photos/*", "!/photos/2026");
    assertTrue(out(years, "photos/2025"));
    assertFalse(out(years, "photos/2026"));
    assertFalse(out(years, "photos"), "the directory itself is read");
    assertTrue(out(List.of("*.log", "!important.log", "*.log"), "important.log"), "order counts");
    assertTrue(out(List.of("\\!odd"), "!odd"), "an escaped bang is part of the name");
    assertFalse(out(List.of("\\!odd"), "odd"));
  }

  @Test
  void aBangWithNothingToKeep_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Excludes.of(List.of("!important.log")));
    assertTrue(e.getMessage().contains("no pattern before it"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Excludes.of(List.of("*.log", "!")));
    assertThrows(IllegalArgumentException.class, () -> Excludes.of(List.of("*.log", "!dir/")));
  }
}
