package org.selfstorage.agent.backup;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * What a source leaves out of its backups: glob patterns, as restic's and gitignore's. A pattern
 * without a slash matches a file or directory of that name at any depth ({@code *.tmp}, {@code
 * node_modules}); one with a slash matches the path from the source's top ({@code build/cache},
 * {@code /notes.txt}, {@code photos/**}{@code /raw}). {@code *} and {@code ?} stay within a name,
 * {@code **} crosses directories, {@code [abc]} and {@code {a,b}} as in Java's glob syntax. A
 * directory left out is not read at all.
 */
public final class Excludes {
  /** Leaves nothing out. */
  public static final Excludes NONE = new Excludes(List.of(), List.of(), List.of());

  private final List<String> patterns;
  private final List<PathMatcher> names;
  private final List<PathMatcher> paths;

  private Excludes(List<String> patterns, List<PathMatcher> names, List<PathMatcher> paths) {
    this.patterns = patterns;
    this.names = names;
    this.paths = paths;
  }

  /**
   * The rules of {@code patterns}.
   *
   * @throws IllegalArgumentException naming the pattern and the rule it breaks
   */
  public static Excludes of(List<String> patterns) {
    List<PathMatcher> names = new ArrayList<>();
    List<PathMatcher> paths = new ArrayList<>();
    for (String p : patterns) {
      check(p);
      String glob = p.startsWith("/") ? p.substring(1) : p;
      try {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        (p.contains("/") ? paths : names).add(m);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("'" + p + "' is not a valid pattern: " + e.getDescription()
            + " (patterns use *, ?, **, [abc] and {a,b}; a backslash escapes one of them)");
      }
    }
    return new Excludes(List.copyOf(patterns), List.copyOf(names), List.copyOf(paths));
  }

  /** Refuses patterns that could not mean what their writer wants. */
  private static void check(String p) {
    if (p.isEmpty() || p.equals("/")) {
      throw new IllegalArgumentException("an exclude pattern must name something: '" + p + "' would leave out "
          + "everything");
    }
    if (p.indexOf('\n') >= 0 || p.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an exclude pattern cannot hold a newline or NUL (? matches any one "
          + "character in a name)");
    }
    if (p.endsWith("/") || p.contains("//")) {
      throw new IllegalArgumentException("'" + p + "': write a directory without a trailing or double slash "
          + "(a pattern leaves out files and directories alike)");
    }
  }

  /** Whether it leaves nothing out (then the walk need not ask about each entry). */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** The patterns as given. */
  public List<String> patterns() {
    return patterns;
  }

  /** Whether the entry at {@code relative} (from the source's top, never empty) is left out. */
  public boolean excludes(Path relative) {
    Path name = relative.getFileName();
    for (PathMatcher m : names) {
      if (m.matches(name)) {
        return true;
      }
    }
    for (PathMatcher m : paths) {
      if (m.matches(relative)) {
        return true;
      }
    }
    return false;
  }
}
