package org.selfstorage.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A source as shown to users; {@code excludes}: the patterns of what its backups leave out; {@code
 * oneFileSystem}, {@code excludeCaches}: whether they also leave out the content of directories on
 * other file systems, and of those a CACHEDIR.TAG marks; {@code excludeLargerThan}: the size in
 * bytes over which files are left out (null: none).
 */
public record SourceInfo(String name, String path, Instant addedAt, String schedule, Instant lastScheduledRun,
    List<String> excludes, boolean oneFileSystem, boolean excludeCaches, Long excludeLargerThan) {

  /** Everything its backups leave out, in words: the patterns, then the flags and the size limit. */
  public List<String> leavesOut() {
    List<String> out = new ArrayList<>();
    for (String p : excludes) {
      out.add(p.startsWith("!") ? "but not " + p.substring(1) : p);
    }
    if (oneFileSystem) {
      out.add("other file systems");
    }
    if (excludeCaches) {
      out.add("caches (CACHEDIR.TAG)");
    }
    if (excludeLargerThan != null) {
      out.add("files over " + Amounts.size(excludeLargerThan));
    }
    return out;
  }
}
