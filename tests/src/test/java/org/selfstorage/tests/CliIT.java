package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CliIT {
  @Test
  void help_listsTheCommand() throws Exception {
    var result = Cli.run(null, "--help");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("selfstorage"), result.toString());
  }

  /** The completion script picocli writes from the command tree completes commands and their options in bash. */
  @Test
  void completion_completesCommandsAndOptions() throws Exception {
    var result = Cli.run(null, "completion");
    assertEquals(0, result.exitCode(), result.toString());
    java.nio.file.Path script = java.nio.file.Files.createTempFile("selfstorage-completion", ".sh");
    try {
      java.nio.file.Files.writeString(script, result.stdout());
      assertEquals(java.util.List.of("backup"), complete(script, "selfstorage", "bac"));
      assertEquals(java.util.List.of("--dry-run"), complete(script, "selfstorage", "backup", "--dr"));
      assertTrue(complete(script, "selfstorage", "partners", "").containsAll(java.util.List.of("remove", "set-quota")));
    } finally {
      java.nio.file.Files.delete(script);
    }
  }

  /** What bash offers for the last word, as it would on a tab. */
  private static java.util.List<String> complete(java.nio.file.Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    Process p = new ProcessBuilder("bash", "-c", "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD="
        + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_selfstorage 2>/dev/null; "
        + "printf '%s\\n' \"${COMPREPLY[@]}\"").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
