package org.selfstorage.federation;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A partner this agent hosts shards for, as far as the SSH server needs to know: its name (for logs
 * and messages), the directory its shards live in on this host, how many bytes it may keep there,
 * and its epoch: a session that logs in declaring an older epoch (a machine whose home was
 * recovered elsewhere since) may read but not write, rename or delete.
 */
public record HostedPartner(String name, Path root, long quotaBytes, long epoch) {
  public HostedPartner(String name, Path root, long quotaBytes) {
    this(name, root, quotaBytes, 0);
  }

  public HostedPartner {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a hosted partner needs a name");
    }
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("the hosted root must be absolute: " + root);
    }
    if (quotaBytes < 0) {
      throw new IllegalArgumentException("negative quota for " + name + ": " + quotaBytes);
    }
    root = root.normalize();
  }
}
