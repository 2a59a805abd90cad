package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads a crash or power cut interrupted: temporary files in a partner's {@code incoming/} that
 * were never renamed to their shard name. The owner never counted them as stored (a put is
 * acknowledged only after the rename is forced), so they are only space.
 */
public final class HostedLeftovers {
  private HostedLeftovers() {}

  /**
   * Removes them from one partner's directory and names each; only while no session of that
   * partner is open (the agent does it before its server starts).
   */
  public static List<String> remove(Path hostRoot) throws IOException {
    Path incoming = hostRoot.resolve(HostedLayout.INCOMING);
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
      for (Path f : files) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          long size = Files.size(f);
          Files.delete(f);
          removed.add(HostedLayout.INCOMING + "/" + f.getFileName() + " (" + size + " bytes)");
        }
      }
    } catch (NoSuchFileException e) {
      // the partner has not uploaded anything yet
    }
    return removed;
  }
}
