package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.selfstorage.federation.UsageCorrection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes each hosted directory holds, counted once from disk when a partner first logs in and then
 * kept up to date by every write, rename and removal. One counter per directory, shared by all the
 * partner's sessions and both subsystems, so concurrent uploads cannot together pass the quota.
 * Space is reserved before bytes are written (by end offset, so a sparse write far past the end
 * counts in full), which is why the counter may briefly be higher than the disk, never lower.
 * Files changed on the host by hand are taken into account by {@link #recount}, which the running
 * agent calls now and then.
 */
public final class HostedUsage {
  private final ConcurrentHashMap<Path, Counter> counters = new ConcurrentHashMap<>();

  /**
   * The counter of one hosted directory. Every change goes through its lock, with a count of the
   * changes and of the writes in flight, so that a recount can tell whether the disk it measured
   * without the lock is the same one the counter describes.
   */
  public static final class Counter {
    private long used;
    private int writing;
    private long changes;

    Counter(long used) {
      this.used = used;
    }

    public synchronized long used() {
      return used;
    }

    /** Adds {@code bytes} if the total stays within {@code quota}; false (and nothing added) if not. */
    public synchronized boolean tryReserve(long bytes, long quota) {
      if (bytes <= 0) {
        return true;
      }
      long next = used + bytes;
      if (next < used || next > quota) {
        return false;
      }
      used = next;
      changes++;
      return true;
    }

    public synchronized void release(long bytes) {
      if (bytes > 0) {
        used = Math.max(0, used - bytes);
        changes++;
      }
    }

    /** A temporary file is being written: its reservation may run ahead of its size on disk. */
    synchronized void writeStarted() {
      writing++;
      changes++;
    }

    /** A temporary file was published or deleted. */
    synchronized void writeEnded() {
      writing = Math.max(0, writing - 1);
      changes++;
    }

    /**
     * Measures {@code root} again and takes that figure, unless a write was in flight or anything
     * changed while it was measured (then the next recount tries again). Returns the figure it
     * replaced, or -1 when it kept the count (also when the two agreed).
     */
    long recount(Path root) {
      long seen;
      synchronized (this) {
        if (writing > 0) {
          return -1;
        }
        seen = changes;
      }
      long measured = measure(root);
      synchronized (this) {
        if (writing > 0 || changes != seen || measured == used) {
          return -1;
        }
        long before = used;
        used = measured;
        changes++;
        return before;
      }
    }
  }

  /** The counter of {@code hostRoot}, counting the directory's files the first time. */
  public Counter of(Path hostRoot) {
    return counters.computeIfAbsent(hostRoot, r -> new Counter(measure(r)));
  }

  /**
   * Measures again every directory counted so far whose partner is not writing to it this moment,
   * and returns those whose count differed from the disk (files changed on the host by hand).
   */
  public List<UsageCorrection> recount() {
    List<UsageCorrection> out = new ArrayList<>();
    counters.forEach((root, c) -> {
      try {
        long before = c.recount(root);
        if (before >= 0) {
          out.add(new UsageCorrection(root, before, c.used()));
        }
      } catch (UncheckedIOException e) {
        // unreadable for now: the count stands until a later recount
      }
    });
    return out;
  }

  static long measure(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    AtomicLong sum = new AtomicLong();
    try {
      // does not follow links: a planted link to a big tree must not count, nor be walked
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            sum.addAndGet(attrs.size());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure hosted directory " + root, e);
    }
    return sum.get();
  }
}
