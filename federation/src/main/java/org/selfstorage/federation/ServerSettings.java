package org.selfstorage.federation;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the agent's SSH server. {@link #defaults()} are the production values
 * (docs/federation.md says why each); tests shorten the timeouts with the {@code with...} methods.
 *
 * @param authTimeout a connection must finish logging in within this time
 * @param idleTimeout a session with no traffic for this long is closed
 * @param maxAuthAttempts login attempts allowed per connection
 * @param maxSessionsPerPartner authenticated sessions one partner may hold at once
 * @param maxOpenHandles open SFTP file and directory handles per session
 * @param windowBytes SSH channel window the server grants
 * @param packetBytes largest SSH channel packet the server accepts
 * @param pairingAttemptsPerMinute guest logins (keys with no agreement, for pairing) admitted per
 *     remote IP address per minute; 0 admits none. All addresses together are also capped at
 *     {@link #GUEST_LOGINS_PER_MINUTE_GLOBAL}
 * @param durability how hosted shards are forced to disk
 * @param maxPendingLogins connections that have not logged in yet, at most, from anyone; more are
 *     refused at once (as OpenSSH's MaxStartups), so a flood of silent connections cannot hold the
 *     server's threads and memory until each one's auth timeout
 */
public record ServerSettings(
    Duration authTimeout,
    Duration idleTimeout,
    int maxAuthAttempts,
    int maxSessionsPerPartner,
    int maxOpenHandles,
    int windowBytes,
    int packetBytes,
    int pairingAttemptsPerMinute,
    Durability durability,
    int maxPendingLogins) {

  /** Guest logins admitted per minute from all addresses together. */
  public static final int GUEST_LOGINS_PER_MINUTE_GLOBAL = 60;

  public ServerSettings {
    Objects.requireNonNull(authTimeout, "authTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(durability, "durability");
    requirePositive(authTimeout, "authTimeout");
    requirePositive(idleTimeout, "idleTimeout");
    if (maxAuthAttempts < 1 || maxAuthAttempts > 20) {
      throw new IllegalArgumentException("maxAuthAttempts must be 1-20, was " + maxAuthAttempts);
    }
    if (maxSessionsPerPartner < 1) {
      throw new IllegalArgumentException("maxSessionsPerPartner must be at least 1");
    }
    if (maxOpenHandles < 2) {
      throw new IllegalArgumentException("maxOpenHandles must be at least 2");
    }
    if (packetBytes < 32 * 1024 || packetBytes > 256 * 1024) {
      throw new IllegalArgumentException("packetBytes must be 32 KiB-256 KiB, was " + packetBytes);
    }
    if (windowBytes < packetBytes) {
      throw new IllegalArgumentException("windowBytes must be at least packetBytes");
    }
    if (pairingAttemptsPerMinute < 0 || pairingAttemptsPerMinute > 1000) {
      throw new IllegalArgumentException("pairingAttemptsPerMinute must be 0-1000, was " + pairingAttemptsPerMinute);
    }
    if (maxPendingLogins < 1) {
      throw new IllegalArgumentException("maxPendingLogins must be at least 1");
    }
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  /**
   * Production values: 20 s to log in, 5 min idle, 3 attempts, 4 sessions, 64 handles, 16 MiB / 128
   * KiB, 10 guest logins per minute per address, 60 connections logging in at once (CIS's
   * MaxStartups hard limit for OpenSSH).
   */
  public static ServerSettings defaults() {
    return new ServerSettings(Duration.ofSeconds(20), Duration.ofMinutes(5), 3, 4, 64, 16 << 20, 128 << 10, 10,
        Durability.system(), 60);
  }

  public ServerSettings withAuthTimeout(Duration d) {
    return new ServerSettings(d, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles, windowBytes, packetBytes, pairingAttemptsPerMinute, durability, maxPendingLogins);
  }

  public ServerSettings withIdleTimeout(Duration d) {
    return new ServerSettings(authTimeout, d, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles, windowBytes, packetBytes, pairingAttemptsPerMinute, durability, maxPendingLogins);
  }

  public ServerSettings withMaxSessionsPerPartner(int n) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, n, maxOpenHandles, windowBytes, packetBytes, pairingAttemptsPerMinute, durability, maxPendingLogins);
  }

  public ServerSettings withMaxOpenHandles(int n) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, n, windowBytes, packetBytes, pairingAttemptsPerMinute, durability, maxPendingLogins);
  }

  public ServerSettings withPairingAttemptsPerMinute(int n) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles, windowBytes, packetBytes, n, durability, maxPendingLogins);
  }

  /** How hosted shards are made durable: the system's fsync, or a power-cut recorder in tests. */
  public ServerSettings withDurability(Durability d) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles,
        windowBytes, packetBytes, pairingAttemptsPerMinute, d, maxPendingLogins);
  }

  /** The SSH channel window the server grants: how far a partner may send ahead of what the server takes. */
  public ServerSettings withWindowBytes(int n) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles,
        n, packetBytes, pairingAttemptsPerMinute, durability, maxPendingLogins);
  }

  public ServerSettings withMaxPendingLogins(int n) {
    return new ServerSettings(authTimeout, idleTimeout, maxAuthAttempts, maxSessionsPerPartner, maxOpenHandles,
        windowBytes, packetBytes, pairingAttemptsPerMinute, durability, n);
  }
}
