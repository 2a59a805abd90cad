package org.selfstorage.webui;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The logins of browsers: each login link opened gives that browser a cookie of its own, a random
 * nonce with its HMAC under the UI token, so the cookie is not the token, one browser can log out
 * without the others, and cookies survive an agent restart (the token does) but not a new token.
 * A logged-out nonce is kept in {@code logouts} (one per line, readable by the owner only) so a
 * copy of that cookie stays refused after a restart; the list starts empty with each new token.
 */
final class BrowserSessions {
  private static final HexFormat HEX = HexFormat.of();
  private static final int NONCE_BYTES = 16;

  private final Path logouts;
  private final Consumer<String> log;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private volatile SecretKeySpec key;

  /** {@code logouts}: where logged-out nonces are kept, or null to keep them in memory only (tests). */
  BrowserSessions(String token, Path logouts, Consumer<String> log) {
    this.logouts = logouts;
    this.log = log;
    this.key = keyOf(token);
    if (logouts != null && Files.isRegularFile(logouts)) {
      try {
        for (String line : Files.readAllLines(logouts, StandardCharsets.US_ASCII)) {
          if (!line.isBlank()) {
            ended.add(line.trim());
          }
        }
      } catch (IOException e) {
        log.accept("web UI: cannot read " + logouts + " (" + e.getMessage() + "); browsers that logged out before "
            + "must log out again");
      }
    }
  }

  /** A new browser login: the cookie value to set. */
  String start() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    String n = HEX.formatHex(nonce);
    return n + "." + HEX.formatHex(mac(key, n));
  }

  /** Whether a cookie value is a login under the current token that has not logged out. */
  boolean valid(String cookie) {
    int dot = cookie.indexOf('.');
    if (dot != NONCE_BYTES * 2 || cookie.length() != dot + 1 + 64) {
      return false;
    }
    String n = cookie.substring(0, dot);
    byte[] given;
    try {
      given = HEX.parseHex(cookie.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(key, n), given) && !ended.contains(n);
  }

  /** Logs the browser holding {@code cookie} out, for good; false when it was no valid login. */
  synchronized boolean end(String cookie) {
    if (!valid(cookie)) {
      return false;
    }
    String n = cookie.substring(0, cookie.indexOf('.'));
    ended.add(n);
    if (logouts != null) {
      try {
        if (Files.notExists(logouts)) {
          Files.createFile(logouts, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel ch = FileChannel.open(logouts, StandardOpenOption.APPEND)) {
          ch.write(ByteBuffer.wrap((n + "\n").getBytes(StandardCharsets.US_ASCII)));
          ch.force(true);
        }
      } catch (IOException e) {
        log.accept("web UI: cannot record a logout in " + logouts + " (" + e.getMessage() + "); it holds until the "
            + "agent restarts");
      }
    }
    return true;
  }

  /** A new token: every browser's login ends, and the list of logouts is not needed any more. */
  synchronized void replaceToken(String token) {
    key = keyOf(token);
    ended.clear();
    if (logouts != null) {
      try {
        Files.deleteIfExists(logouts);
      } catch (IOException e) {
        log.accept("web UI: cannot delete " + logouts + ": " + e.getMessage());
      }
    }
  }

  private static SecretKeySpec keyOf(String token) {
    return new SecretKeySpec(("selfstorage ui session\0" + token).getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
  }

  private static byte[] mac(SecretKeySpec key, String nonce) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(nonce.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
