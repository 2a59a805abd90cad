package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes each hosted directory holds, counted once from disk when a partner first logs in and then
 * kept up to date by every write, rename and removal. One counter per directory, shared by all the
 * partner's sessions and both subsystems, so concurrent uploads cannot together pass the quota.
 * Space is reserved before bytes are written (by end offset, so a sparse write far past the end
 * counts in full), which is why the counter may briefly be higher than the disk, never lower.
 */
public final class HostedUsage {
  private final ConcurrentHashMap<Path, Counter> counters = new ConcurrentHashMap<>();

  /** The counter of one hosted directory. */
  public static final class Counter {
    private final AtomicLong used;

    Counter(long used) {
      this.used = new AtomicLong(used);
    }

    public long used() {
      return used.get();
    }

    /** Adds {@code bytes} if the total stays within {@code quota}; false (and nothing added) if not. */
    public boolean tryReserve(long bytes, long quota) {
      if (bytes <= 0) {
        return true;
      }
      while (true) {
        long now = used.get();
        long next = now + bytes;
        if (next < now || next > quota) {
          return false;
        }
        if (used.compareAndSet(now, next)) {
          return true;
        }
      }
    }

    public void release(long bytes) {
      if (bytes > 0) {
        used.updateAndGet(v -> Math.max(0, v - bytes));
      }
    }
  }

  /** The counter of {@code hostRoot}, counting the directory's files the first time. */
  public Counter of(Path hostRoot) {
    return counters.computeIfAbsent(hostRoot, r -> new Counter(measure(r)));
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
