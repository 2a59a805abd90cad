package org.selfstorage.agent.tree;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names and link targets as the bytes the file system holds, which a tree records, and back.
 *
 * <p>Why: Linux names are bytes, and Java turns them into strings with the platform's encoding,
 * replacing what does not decode (a name written in Latin-1, or any stray byte) with U+FFFD. Taken
 * from such a string, {@code bad\xff} and {@code bad\xfe} would both be recorded as {@code bad\ufffd}
 * and restore as one file, the other lost. A {@code file:} URI of a path percent-encodes its exact
 * bytes and {@link Path#of(URI)} decodes them back, so names that do not survive the string are
 * carried through one. Names that are plain UTF-8 under a UTF-8 platform encoding, nearly all of
 * them, take the direct way.
 */
public final class NativeNames {
  private static final boolean UTF8_PLATFORM = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
  private static final Path ROOT = Path.of("/");

  private NativeNames() {}

  /** The bytes of {@code entry}'s last name element. */
  public static byte[] nameOf(Path entry) {
    String s = entry.getFileName().toString();
    if (survives(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    String raw = entry.toAbsolutePath().toUri().getRawPath();
    int end = raw.endsWith("/") ? raw.length() - 1 : raw.length(); // toUri marks directories so
    return percentDecode(raw.substring(raw.lastIndexOf('/', end - 1) + 1, end));
  }

  /** {@code dir} joined with the entry named by exactly {@code name} (no {@code /}, not empty). */
  public static Path resolve(Path dir, byte[] name) {
    String s = decodes(name);
    if (s != null) {
      return dir.resolve(s);
    }
    String base = dir.toAbsolutePath().toUri().getRawPath();
    return Path.of(URI.create("file://" + (base.endsWith("/") ? base : base + "/") + percentEncode(name)));
  }

  /** The bytes of a symbolic link's target, as {@link java.nio.file.Files#readSymbolicLink} gave it. */
  public static byte[] targetOf(Path target) {
    String s = target.toString();
    if (survives(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    // relative targets go through the URI as if under /, which is then taken off again
    Path absolute = target.isAbsolute() ? target : ROOT.resolve(target);
    String raw = absolute.toUri().getRawPath();
    if (raw.length() > 1 && raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1); // toUri marks a target that is a directory; a Path never ends in /
    }
    return percentDecode(target.isAbsolute() ? raw : raw.substring(1));
  }

  /** The link target to create for recorded bytes {@code target}. */
  public static Path targetPath(byte[] target) {
    String s = decodes(target);
    if (s != null) {
      return Path.of(s);
    }
    // element by element: a file URI would be normalized, and a target's ".." must stay as it is
    Path p = target.length > 0 && target[0] == '/' ? ROOT : null;
    int start = 0;
    for (int i = 0; i <= target.length; i++) {
      if (i == target.length || target[i] == '/') {
        if (i > start) {
          byte[] element = java.util.Arrays.copyOfRange(target, start, i);
          String plain = decodes(element);
          Path e = plain != null ? Path.of(plain)
              : ROOT.relativize(Path.of(URI.create("file:///" + percentEncode(element))));
          p = p == null ? e : p.resolve(e);
        }
        start = i + 1;
      }
    }
    return p == null ? Path.of("") : p;
  }

  /**
   * Whether {@code p}'s string form names exactly {@code p}, so that it can be handed to a command
   * or to {@link java.io.File}, which take names as strings.
   */
  public static boolean nameableAsString(Path p) {
    return p.equals(p.getFileSystem().getPath(p.toString()));
  }

  /**
   * {@code name} as text a person can read and type back: valid UTF-8 as itself, and each byte
   * that is not part of valid UTF-8 as {@code \xNN} (lower-case hex). Two names that differ only
   * in such bytes read differently (decoding with replacement made {@code bad\xff} and {@code
   * bad\xfe} both {@code bad\ufffd}), so {@code ls} shows them apart and {@code restore
   * --include} can name either one. A valid name that contains the text {@code \xNN} itself reads
   * the same as the byte would; an include that names one then takes both, never neither.
   */
  public static String display(byte[] name) {
    String fast = new String(name, StandardCharsets.UTF_8);
    if (fast.indexOf('\uFFFD') < 0) {
      return fast; // nothing was replaced: the name was valid UTF-8
    }
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(name);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(name.length * 4);
    while (true) {
      java.nio.charset.CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        for (int i = 0; i < r.length(); i++) {
          out.put(String.format("\\x%02x", in.get() & 0xff));
        }
      } else {
        decoder.flush(out);
        return out.flip().toString();
      }
    }
  }

  /** Whether a string Java gave for a name is exactly that name's bytes in UTF-8. */
  private static boolean survives(String s) {
    if (isAscii(s)) {
      return true;
    }
    return UTF8_PLATFORM && s.indexOf('\uFFFD') < 0;
  }

  /** {@code name} as a string that the platform encodes back to exactly these bytes, or null. */
  private static String decodes(byte[] name) {
    boolean ascii = true;
    for (byte b : name) {
      ascii &= b >= 0;
    }
    if (ascii) {
      return new String(name, StandardCharsets.US_ASCII);
    }
    if (!UTF8_PLATFORM) {
      return null;
    }
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
      return s.indexOf('\uFFFD') < 0 ? s : null; // a real U+FFFD in a name: the URI way is exact too
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Every byte outside the URI's unreserved set as %XX; {@code /} kept, for link targets. */
  private static String percentEncode(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~' || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      }
    }
    return sb.toString();
  }

  /** The bytes of a raw URI path part: ASCII as is, %XX as one byte. */
  private static byte[] percentDecode(String raw) {
    ByteBuffer out = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.put((byte) Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        out.put((byte) c);
      }
    }
    return java.util.Arrays.copyOf(out.array(), out.position());
  }
}
