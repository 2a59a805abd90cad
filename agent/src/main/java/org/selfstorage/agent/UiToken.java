package org.selfstorage.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The web UI's secret: 256 random bits in {@code run/ui.token} (0600, in the 0700 run directory),
 * made at first use and kept across restarts so a bookmarked login link keeps working. Anyone who
 * can read it can act as the owner through the UI, exactly as anyone who can read the home can.
 * Kept in the agent's API because both the UI (which checks it) and the {@code ui} command (which
 * prints the link) need it, and the CLI never compiles against the UI.
 */
public final class UiToken {
  private UiToken() {}

  public static Path file(Home home) {
    return home.runDir().resolve("ui.token");
  }

  /**
   * Replaces the token with a new one, for when a login link leaked: written whole under another
   * name and renamed over the old, so a reader sees the old token or the new, never half of one.
   */
  public static String renew(Home home) {
    try {
      return write(home, true);
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot replace " + file(home) + ": " + e.getMessage(), null);
    }
  }

  /** The token, creating the file when there is none yet. */
  public static String readOrCreate(Home home) {
    Path file = file(home);
    try {
      if (!Files.exists(file)) {
        write(home, false);
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!token.matches("[A-Za-z0-9_-]{22,}")) {
        throw new AgentException("UI_TOKEN_DAMAGED", "the web UI token in " + file + " is not a token",
            "selfstorage ui --new-token   (old login links stop working)");
      }
      return token;
    } catch (IOException e) {
      throw new AgentException("HOME_UNWRITABLE", "cannot read or make " + file + ": " + e.getMessage(), null);
    }
  }

  /**
   * Writes a fresh token whole under another name, then renames it over the file ({@code replace})
   * or links it there, which never replaces: when two processes race to make the first token, the
   * first one's wins. A reader never sees half a token. Returns the token written.
   */
  private static String write(Home home, boolean replace) throws IOException {
    Files.createDirectories(home.runDir(), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tmp = Files.createTempFile(home.runDir(), "ui.token", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      if (replace) {
        Files.move(tmp, file(home), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.createLink(file(home), tmp);
      }
    } catch (FileAlreadyExistsException e) {
      // another process made it first: that one is used
    } finally {
      Files.deleteIfExists(tmp);
    }
    return token;
  }
}
