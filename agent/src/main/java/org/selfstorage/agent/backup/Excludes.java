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
 * pattern that starts with {@code !} keeps what it matches although an earlier pattern leaves it
 * out ({@code *.log} then {@code !important.log}); the last pattern that matches an entry decides
 * ({@code \!} starts a pattern for a name that begins with {@code !}). A directory left out is not
 * read at all, so nothing inside it can be kept: {@code /photos/*} then {@code !/photos/2026}
 * keeps one year, {@code /photos} then {@code !/photos/2026} keeps none.
 */
public final class Excludes {
  /** Leaves nothing out. */
  public static final Excludes NONE = new Excludes(List.of(), List.of());

  /** One pattern: whether it matches the name or the path, and whether it keeps instead of leaving out. */
  private record Rule(PathMatcher matcher, boolean wholePath, boolean keeps) {
    boolean matches(Path relative, Path name) {
      return matcher.matches(wholePath ? relative : name);
    }
  }

  private final List<String> patterns;
  private final List<Rule> rules;

  private Excludes(List<String> patterns, List<Rule> rules) {
    this.patterns = patterns;
    this.rules = rules;
  }

  /**
   * The rules of {@code patterns}, in their order.
   *
   * @throws IllegalArgumentException naming the pattern and the rule it breaks
   */
  public static Excludes of(List<String> patterns) {
    List<Rule> rules = new ArrayList<>();
    for (String p : patterns) {
      boolean keeps = p.startsWith("!");
      String body = keeps ? p.substring(1) : p;
      check(body);
      if (keeps && rules.stream().noneMatch(r -> !r.keeps())) {
        throw new IllegalArgumentException("'" + p + "' keeps what an earlier pattern leaves out, and no pattern "
            + "before it leaves anything out (write a name that starts with ! as \\" + p + ")");
      }
      String glob = body.startsWith("/") ? body.substring(1) : body;
      try {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        rules.add(new Rule(m, body.contains("/"), keeps));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("'" + p + "' is not a valid pattern: " + e.getDescription()
            + " (patterns use *, ?, **, [abc] and {a,b}; a backslash escapes one of them)");
      }
    }
    return new Excludes(List.copyOf(patterns), List.copyOf(rules));
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
    for (int i = rules.size() - 1; i >= 0; i--) { // the last match decides
      Rule r = rules.get(i);
      if (r.matches(relative, name)) {
        return !r.keeps();
      }
    }
    return false;
  }
}
