package org.selfstorage.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's start-up warm-up runs its whole workload (backups, restores, the SSH transfer) in a
 * scratch directory and leaves nothing there; a failure in it would surface as an exception here
 * instead of as the agent's "warm-up skipped" line.
 */
class WarmUpTest {
  @TempDir Path dir;

  @Test
  void runsItsRounds_andRemovesItsScratch() throws Exception {
    Path scratch = dir.resolve("run").resolve("warm-up");
    Files.createDirectories(scratch.resolve("left-over from a killed agent"));

    int rounds = WarmUp.run(scratch, Clock.systemUTC());

    assertTrue(rounds >= 1 && rounds <= WarmUp.MAX_ROUNDS, "rounds " + rounds);
    assertFalse(Files.exists(scratch), "the scratch directory is removed");
  }
}
