package org.selfstorage.federation.hosted;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.selfstorage.federation.ShardName;

/**
 * The only paths that exist in a partner's hosted directory, as the partner sees it over SFTP ({@code
 * /} is the partner's root):
 *
 * <pre>
 * /                                   the partner's root
 * /shards/                            complete shards, fanned out by the first two characters
 * /shards/ab/                         a fan directory: [a-z0-9][a-z0-9_-]?
 * /shards/ab/ab12cd.3                 a shard: a {@link ShardName} whose fan is "ab"
 * /incoming/                          shards being written
 * /incoming/ab12cd.3.part-0123456789abcdef   a temporary file, renamed into /shards when complete
 * </pre>
 *
 * Every path a partner sends is checked against this grammar before anything touches the disk: no
 * {@code .} or {@code ..} components (except {@code .} alone for the root), no empty components, no
 * characters outside the shard-name alphabet. The grammar is the first fence; the rooted file system
 * and the symbolic-link check are the others.
 */
public final class HostedLayout {
  public static final String SHARDS = "shards";
  public static final String INCOMING = "incoming";

  private static final String NAME = "[a-z0-9][a-z0-9_-]{0,126}(?:\\.[a-z0-9_-]{1,32})?";
  private static final String FAN = "[a-z0-9][a-z0-9_-]?";
  private static final Pattern PATH = Pattern.compile(
      "/?(?:(" + SHARDS + ")(?:/(" + FAN + ")(?:/(" + NAME + "))?)?|(" + INCOMING + ")(?:/(" + NAME + ")\\.part-[0-9a-f]{16})?)");

  /** What a valid path names. */
  public enum Kind {
    ROOT, SHARDS_DIR, FAN_DIR, SHARD_FILE, INCOMING_DIR, TEMP_FILE;

    public boolean isDirectory() {
      return this != SHARD_FILE && this != TEMP_FILE;
    }
  }

  /** A checked path: its kind and its canonical absolute form inside the partner's view. */
  public record Checked(Kind kind, String canonical, String shardName) {}

  private HostedLayout() {}

  /** The fan directory of a shard name: its first two characters before any dot. */
  public static String fanOf(String shardName) {
    int dot = shardName.indexOf('.');
    String base = dot < 0 ? shardName : shardName.substring(0, dot);
    return base.substring(0, Math.min(2, base.length()));
  }

  public static String shardPath(ShardName name) {
    return "/" + SHARDS + "/" + fanOf(name.value()) + "/" + name.value();
  }

  public static String fanPath(String prefixOrFan) {
    return "/" + SHARDS + "/" + prefixOrFan;
  }

  public static String tempPath(ShardName name, long random) {
    return "/" + INCOMING + "/" + name.value() + ".part-" + HexFormat.of().toHexDigits(random);
  }

  /**
   * Checks a path as a partner sent it.
   *
   * @throws AccessDeniedException for anything outside the grammar, naming the path (escaped)
   */
  public static Checked check(String remote) throws AccessDeniedException {
    if (remote == null || remote.isEmpty() || remote.equals(".") || remote.equals("/")) {
      return new Checked(Kind.ROOT, "/", null);
    }
    Matcher m = remote.length() > 220 ? null : PATH.matcher(remote);
    if (m == null || !m.matches()) {
      throw new AccessDeniedException(printable(remote), null, "not a path of the hosted layout");
    }
    if (m.group(4) != null) {
      return m.group(5) == null
          ? new Checked(Kind.INCOMING_DIR, "/" + INCOMING, null)
          : new Checked(Kind.TEMP_FILE, "/" + INCOMING + "/" + remote.substring(remote.lastIndexOf('/') + 1), m.group(5));
    }
    String fan = m.group(2);
    String name = m.group(3);
    if (fan == null) {
      return new Checked(Kind.SHARDS_DIR, "/" + SHARDS, null);
    }
    if (name == null) {
      return new Checked(Kind.FAN_DIR, "/" + SHARDS + "/" + fan, null);
    }
    if (!fanOf(name).equals(fan)) {
      throw new AccessDeniedException(printable(remote), null, "shard " + name + " belongs in fan " + fanOf(name));
    }
    return new Checked(Kind.SHARD_FILE, "/" + SHARDS + "/" + fan + "/" + name, name);
  }

  /**
   * Refuses a path if any component below the partner's root is a symbolic link (one planted on the
   * host, since partners cannot create links): the rooted file system confines names, not links.
   */
  public static void refuseLinks(Path hostRoot, String canonical) throws AccessDeniedException {
    Path p = hostRoot;
    for (String part : canonical.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw new AccessDeniedException(canonical, null, "a symbolic link on the host; not followed");
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
    }
  }

  /** The path with control and non-ASCII characters escaped, safe for logs and messages. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    int n = Math.min(s.length(), 120);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > n) {
      b.append("...");
    }
    return b.toString();
  }
}
