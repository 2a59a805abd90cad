package org.selfstorage.agent;

/**
 * Where long work stands, for a progress line: {@code bytesTotal} is -1 when unknown.
 *
 * @param phase what is being done, e.g. "backup", "restore", "check"
 * @param items files (or packs) done
 * @param bytes bytes done
 * @param detail the current file or pack, may be empty
 */
public record Progress(String phase, long items, long bytes, long bytesTotal, long newBytes, String detail) {
  /** Receives progress now and then (at most a few times a second) from the thread doing the work. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(Progress progress);

    Listener NONE = p -> {};
  }
}
