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
}
