package org.selfstorage.agent;

import java.time.Duration;
import java.util.List;

/** What a restore did; {@code problems} lists entries that could not be restored exactly, with why. */
public record RestoreResult(
    String snapshotId, String target, long files, long dirs, long bytes, long packsRead, Duration elapsed,
    List<String> problems, List<String> warnings) {}
