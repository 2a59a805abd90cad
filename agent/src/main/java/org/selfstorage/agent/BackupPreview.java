package org.selfstorage.agent;

import java.util.List;

/**
 * What the next backup of a source would do, found by a dry run: the same walk, the same patterns
 * and limits, the same comparison with the last snapshot, but no file's content read and nothing
 * stored.
 *
 * @param files files the snapshot would hold (dirs, bytes likewise)
 * @param newFiles files the last snapshot does not have, {@code newBytes} their size
 * @param changedFiles files whose size, mtime, ctime or inode differ from the last snapshot's
 * @param unchangedFiles files the backup would not read again
 * @param bytesToRead what the backup would read: new and changed files, a hard-linked file once
 * @param excluded entries the source's patterns leave out (a directory once, whatever it holds)
 * @param emptiedDirs directories recorded empty: on another file system, or caches
 * @param tooLarge files left out for their size
 * @param unreadable entries that cannot be examined, each with why (the backup would be incomplete)
 * @param entries with a listing asked for: each new, changed and left-out entry (at most
 *     {@link #MAX_ENTRIES}); otherwise empty
 * @param entriesLeftOff entries not listed past {@link #MAX_ENTRIES}
 */
public record BackupPreview(String source, String path, long files, long dirs, long bytes, long newFiles,
    long newBytes, long changedFiles, long changedBytes, long unchangedFiles, long bytesToRead, long excluded,
    long emptiedDirs, long tooLarge, List<String> unreadable, List<String> warnings, List<Entry> entries,
    long entriesLeftOff) {
  /** The longest listing a dry run keeps (in memory, as it is also given as JSON). */
  public static final int MAX_ENTRIES = 100_000;

  /**
   * One listed entry: {@code change} is {@code new}, {@code changed}, {@code excluded} (by a
   * pattern), {@code other-fs} or {@code cache} (a directory recorded empty) or {@code too-large};
   * {@code path} from the source's top, a directory's with a trailing slash; {@code size} a file's.
   */
  public record Entry(String change, String path, long size) {}

  /** This preview with one more warning. */
  public BackupPreview withWarning(String warning) {
    List<String> all = new java.util.ArrayList<>(warnings);
    all.add(warning);
    return new BackupPreview(source, path, files, dirs, bytes, newFiles, newBytes, changedFiles, changedBytes,
        unchangedFiles, bytesToRead, excluded, emptiedDirs, tooLarge, unreadable, List.copyOf(all), entries,
        entriesLeftOff);
  }
}
