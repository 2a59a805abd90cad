package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.selfstorage.federation.store.Leftovers;

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
    return Leftovers.remove(hostRoot.resolve(HostedLayout.INCOMING), HostedLayout.INCOMING);
  }
}
