package org.selfstorage.agent.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.selfstorage.catalog.BlobId;

/**
 * Compares two snapshots' trees. Directories whose tree blob is the same are the same (trees are
 * content-addressed), so only the changed parts of a snapshot are loaded: a diff of two backups a
 * day apart reads the trees of the directories that changed, not the whole file system.
 */
public final class TreeDiff {
  /** One difference: see {@code SnapshotDiff.Change} for the kinds. */
  public record Entry(char kind, String path, NodeType type, long sizeBefore, long sizeAfter) {}

  private final Function<BlobId, Tree> trees;
  private final List<Entry> out = new ArrayList<>();

  private TreeDiff(Function<BlobId, Tree> trees) {
    this.trees = trees;
  }

  /** The differences from {@code before} to {@code after}, in path order. */
  public static List<Entry> between(BlobId before, BlobId after, Function<BlobId, Tree> trees) {
    TreeDiff d = new TreeDiff(trees);
    if (!before.equals(after)) {
      d.compare(trees.apply(before), trees.apply(after), "");
    }
    return d.out;
  }

  private void compare(Tree a, Tree b, String parent) {
    List<Node> x = a.nodes();
    List<Node> y = b.nodes();
    int i = 0;
    int j = 0;
    while (i < x.size() || j < y.size()) {
      int c = i == x.size() ? 1 : j == y.size() ? -1 : Arrays.compareUnsigned(x.get(i).name(), y.get(j).name());
      if (c < 0) {
        whole('-', x.get(i++), parent);
      } else if (c > 0) {
        whole('+', y.get(j++), parent);
      } else {
        both(x.get(i++), y.get(j++), parent);
      }
    }
  }

  private void both(Node a, Node b, String parent) {
    String path = join(parent, b);
    if (a.type() != b.type()) {
      out.add(new Entry('T', path, b.type(), a.size(), b.size()));
      if (a.subtree() != null) {
        under('-', a, path);
      }
      if (b.subtree() != null) {
        under('+', b, path);
      }
      return;
    }
    boolean metadata = a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid()
        || a.mtimeSeconds() != b.mtimeSeconds() || a.mtimeNanos() != b.mtimeNanos();
    if (a.type() == NodeType.DIR) {
      if (metadata) {
        out.add(new Entry('U', path, b.type(), 0, 0));
      }
      if (!a.subtree().equals(b.subtree())) {
        compare(trees.apply(a.subtree()), trees.apply(b.subtree()), path);
      }
      return;
    }
    boolean content = !a.content().equals(b.content()) || a.size() != b.size()
        || !Arrays.equals(a.linkTarget(), b.linkTarget()) || a.rdev() != b.rdev();
    if (content) {
      out.add(new Entry('M', path, b.type(), a.size(), b.size()));
    } else if (metadata) {
      out.add(new Entry('U', path, b.type(), a.size(), b.size()));
    }
  }

  /** An entry only one side has, and for a directory everything in it. */
  private void whole(char kind, Node n, String parent) {
    String path = join(parent, n);
    out.add(kind == '+' ? new Entry(kind, path, n.type(), 0, n.size()) : new Entry(kind, path, n.type(), n.size(), 0));
    if (n.subtree() != null) {
      under(kind, n, path);
    }
  }

  private void under(char kind, Node dir, String path) {
    for (Node n : trees.apply(dir.subtree()).nodes()) {
      whole(kind, n, path);
    }
  }

  private static String join(String parent, Node n) {
    return parent.isEmpty() ? n.nameString() : parent + "/" + n.nameString();
  }
}
