package org.selfstorage.agent.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobId;

/** Diffs of hand-built trees: every kind of change, and unchanged directories never loaded. */
class TreeDiffTest {
  private final Map<BlobId, Tree> store = new HashMap<>();
  private final List<BlobId> loaded = new ArrayList<>();
  private int next;

  private BlobId put(Tree t) {
    byte[] id = new byte[32];
    id[0] = (byte) ++next;
    BlobId b = new BlobId(id);
    store.put(b, t);
    return b;
  }

  private Tree load(BlobId id) {
    loaded.add(id);
    return store.get(id);
  }

  private static Node file(String name, int mode, long size, int chunk) {
    byte[] c = new byte[32];
    c[31] = (byte) chunk;
    return new Node(name.getBytes(StandardCharsets.UTF_8), NodeType.FILE, mode, 1000, 1000, 1_700_000_000L, 0, 0, 0,
        1, 1, 1, size, 0, null, null, List.of(new ChunkRef(new BlobId(c), (int) size)), null);
  }

  private static Node dir(String name, BlobId tree) {
    return new Node(name.getBytes(StandardCharsets.UTF_8), NodeType.DIR, 0755, 1000, 1000, 1_700_000_000L, 0, 0, 0, 2,
        1, 2, 0, 0, null, tree, List.of(), null);
  }

  private static Node link(String name, String target) {
    return new Node(name.getBytes(StandardCharsets.UTF_8), NodeType.SYMLINK, 0777, 1000, 1000, 1_700_000_000L, 0, 0,
        0, 3, 1, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8), null, List.of(), null);
  }

  private static List<String> lines(List<TreeDiff.Entry> entries) {
    return entries.stream().map(e -> e.kind() + " " + e.path()).toList();
  }

  @Test
  void everyKindOfChange_inPathOrder_andSameSubtreesAreNotRead() {
    BlobId same = put(new Tree(List.of(file("big.iso", 0644, 1 << 30, 9))));
    BlobId goneDir = put(new Tree(List.of(file("x", 0644, 5, 1), file("y", 0644, 6, 2))));
    BlobId oldSub = put(new Tree(List.of(file("a.txt", 0644, 10, 1), file("b.txt", 0644, 20, 2))));
    BlobId newSub = put(new Tree(List.of(file("a.txt", 0600, 10, 1), file("b.txt", 0644, 25, 3),
        file("c.txt", 0644, 30, 4))));
    BlobId becameDir = put(new Tree(List.of(file("inner", 0644, 7, 5))));
    BlobId before = put(new Tree(List.of(dir("docs", oldSub), dir("gone", goneDir), link("l", "old"),
        file("thing", 0644, 3, 6), dir("unchanged", same))));
    BlobId after = put(new Tree(List.of(dir("docs", newSub), link("l", "new"), file("new.txt", 0644, 40, 7),
        dir("thing", becameDir), dir("unchanged", same))));
    List<TreeDiff.Entry> d = TreeDiff.between(before, after, this::load);
    assertEquals(List.of("U docs/a.txt", "M docs/b.txt", "+ docs/c.txt", "- gone", "- gone/x", "- gone/y", "M l",
        "+ new.txt", "T thing", "+ thing/inner"), lines(d));
    assertEquals(false, loaded.contains(same), "an unchanged directory is not read: " + loaded);
    TreeDiff.Entry grew = d.get(1);
    assertEquals(20, grew.sizeBefore());
    assertEquals(25, grew.sizeAfter());
    assertEquals(List.of(), TreeDiff.between(before, before, this::load), "a snapshot against itself");
  }
}
