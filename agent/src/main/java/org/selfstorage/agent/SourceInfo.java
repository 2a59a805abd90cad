package org.selfstorage.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A source as shown to users; {@code excludes}: the patterns of what its backups leave out; {@code
 * oneFileSystem}, {@code excludeCaches}: whether they also leave out the content of directories on
 * other file systems, and of those a CACHEDIR.TAG marks.
 */
public record SourceInfo(String name, String path, Instant addedAt, String schedule, Instant lastScheduledRun,
    List<String> excludes, boolean oneFileSystem, boolean excludeCaches) {

  /** Everything its backups leave out, in words: the patterns, then the two flags. */
  public List<String> leavesOut() {
    List<String> out = new ArrayList<>(excludes);
    if (oneFileSystem) {
      out.add("other file systems");
    }
    if (excludeCaches) {
      out.add("caches (CACHEDIR.TAG)");
    }
    return out;
  }
}
