package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The README's first command works and proves what it claims. */
class DemoIT {
  @Test
  void demo_fourAgentsPair_backUpOverSsh_andRestoreByteExactWithOneDown() throws Exception {
    Cli.Result r = Cli.run(null, "demo");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("byte-exact"), r.toString());
    assertTrue(r.stdout().contains("second backup with nothing changed: read 0 files"), r.toString());
    assertTrue(r.stdout().contains("alice restores from bob and carol"), r.toString());
    assertTrue(r.stdout().matches("(?s).*bob +site bob +ok +[1-9][0-9]* shards.*"), r.toString());
  }
}
