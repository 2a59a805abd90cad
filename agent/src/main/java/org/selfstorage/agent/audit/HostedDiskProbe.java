package org.selfstorage.agent.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Whether the disk that keeps partners' shards still takes writes (reliability.md D4): a file is
 * written, forced and deleted beside the partners' directories, where no partner can see it. A
 * disk remounted read-only after an error, or failing, is found here before a partner's next
 * upload fails on it, and its owner is told in plain words.
 */
public final class HostedDiskProbe {
  private HostedDiskProbe() {}

  /**
   * The catalog setting kept while the hosted directory does not take writes (its value says why):
   * the agent's status shows it, and hello tells partners, who then place new shards elsewhere.
   */
  public static final String SETTING = "hosted.unwritable";

  /** Empty when the directory takes a write; otherwise why not. */
  public static Optional<String> problem(Path hostedDir) {
    Path probe = hostedDir.resolve(".write-probe");
    try {
      Files.createDirectories(hostedDir);
      try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(new byte[] {1}));
        ch.force(true);
      }
      Files.delete(probe);
      return Optional.empty();
    } catch (FileSystemException e) {
      return Optional.of(e.getReason() != null ? e.getReason() : e.getMessage());
    } catch (IOException e) {
      return Optional.of(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }
  }
}
