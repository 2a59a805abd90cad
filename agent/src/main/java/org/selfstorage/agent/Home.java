package org.selfstorage.agent;

import java.nio.file.Path;

/** An agent's state directory: catalog, keys, lock. */
public record Home(Path dir) {
  public Home {
    dir = dir.toAbsolutePath().normalize();
  }

  /** {@code --home}, else {@code $SELFSTORAGE_HOME}, else {@code ~/.selfstorage}. */
  public static Home resolve(Path explicit) {
    if (explicit != null) {
      return new Home(explicit);
    }
    String env = System.getenv("SELFSTORAGE_HOME");
    if (env != null && !env.isBlank()) {
      return new Home(Path.of(env));
    }
    return new Home(Path.of(System.getProperty("user.home"), ".selfstorage"));
  }

  public Path catalogFile() {
    return dir.resolve("catalog.db");
  }

  public Path keyFile() {
    return dir.resolve("keys").resolve("master.key");
  }

  /** The shards partners keep here, one directory per partner. */
  public Path hostedDir() {
    return dir.resolve("hosted");
  }

  /** Runtime files of a running agent: its lock and the control socket commands reach it by. */
  public Path runDir() {
    return dir.resolve("run");
  }

  public Path lockFile() {
    return dir.resolve("lock");
  }
}
