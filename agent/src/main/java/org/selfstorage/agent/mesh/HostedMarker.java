package org.selfstorage.agent.mesh;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.selfstorage.agent.AgentException;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.federation.Durability;

/**
 * The file that tells the directory keeping partners' shards from an empty mount point. If that
 * directory is a disk of its own and the disk is not mounted, the agent would otherwise serve an
 * empty directory and tell every partner it keeps nothing for them; their agents would then
 * rebuild all of it elsewhere for nothing. So the agent writes the marker the first time, records
 * in its catalog that it did, and refuses to start when a marker it once wrote is gone.
 */
public final class HostedMarker {
  public static final String FILE = ".selfstorage-hosted";
  static final String SETTING = "hosted.marker";

  private HostedMarker() {}

  /**
   * After a recovery onto a machine without the old hosted directory: what partners kept there was
   * lost with the site (they rebuild it), so a fresh directory may start here.
   */
  public static void startAfresh(Path hostedRoot, Catalog catalog) {
    if (!Files.isRegularFile(hostedRoot.resolve(FILE))) {
      catalog.settings().delete(SETTING);
    }
  }

  /** Creates the directory and its marker the first time; afterwards, requires the marker. */
  public static void verify(Path hostedRoot, Catalog catalog) throws IOException {
    Path marker = hostedRoot.resolve(FILE);
    if (Files.isRegularFile(marker)) {
      return;
    }
    if (catalog.settings().get(SETTING).isPresent()) {
      throw new AgentException("HOSTED_NOT_MOUNTED", "the directory that keeps partners' shards, " + hostedRoot
          + ", has lost its marker file " + FILE + ": it is not the disk it was (not mounted?). The agent does "
          + "not start, so that partners are not told it keeps nothing for them",
          "mount that disk and start the agent again; only if it is lost for good: touch " + marker
              + "   (partners then rebuild what it held)");
    }
    Durability d = Durability.system();
    d.createDirectories(hostedRoot);
    try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("selfstorage: partners' shards are kept here\n".getBytes(StandardCharsets.UTF_8)));
      d.forceFile(ch, marker);
    }
    d.forceDirectory(hostedRoot);
    catalog.settings().put(SETTING, "1");
  }
}
