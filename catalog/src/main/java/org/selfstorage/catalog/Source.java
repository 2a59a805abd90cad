package org.selfstorage.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A directory that is backed up. {@code schedule} is null when backups run by hand only;
 * {@code lastScheduled} is when the agent last started a scheduled run (null: never); {@code
 * excludes}: the patterns of what its backups leave out; {@code oneFileSystem}: directories on
 * other file systems are recorded empty; {@code excludeCaches}: so are those a CACHEDIR.TAG marks;
 * {@code excludeLargerThan}: files over this many bytes are left out (null: none).
 */
public record Source(long id, String name, String path, Instant addedAt, String schedule, Instant lastScheduled,
    List<String> excludes, boolean oneFileSystem, boolean excludeCaches, Long excludeLargerThan) {
  public Source {
    excludes = List.copyOf(excludes);
  }
}
