package org.selfstorage.agent.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobId;

/** Name search over snapshots: matches with their paths, each shared tree searched once. */
class TreeSearchTest {
  private final Map<BlobId, Tree> store = new HashMap<>();
  private final List<BlobId> loaded = new ArrayList<>();
  private int next;

  private BlobId put(Node... nodes) {
    byte[] id = new byte[32];
    id[0] = (byte) ++next;
    BlobId b = new BlobId(id);
    store.put(b, new Tree(List.of(nodes)));
    return b;
  }

  private Tree load(BlobId id) {
    loaded.add(id);
    return store.get(id);
  }

  private static Node file(String name) {
    return new Node(name.getBytes(StandardCharsets.UTF_8), NodeType.FILE, 0644, 0, 0, 1, 0, 0, 0, 1, 1, 1, 3, 0, null,
        null, List.of(), null);
  }

  private static Node dir(String name, BlobId tree) {
    return new Node(name.getBytes(StandardCharsets.UTF_8), NodeType.DIR, 0755, 0, 0, 1, 0, 0, 0, 2, 1, 2, 0, 0, null,
        tree, List.of(), null);
  }

  @Test
  void matchesByName_withTheirPaths_andASharedTreeIsSearchedOnce() {
    BlobId shared = put(file("a.pdf"), file("b.txt"));
    BlobId day1 = put(dir("docs", shared), file("old.pdf"));
    BlobId day2 = put(dir("docs", shared), dir("more", put(dir("docs", shared))));
    TreeSearch s = new TreeSearch(this::load, n -> n.endsWith(".pdf"), 100);
    assertEquals(List.of("docs/a.pdf", "old.pdf"), s.in(day1).stream().map(TreeSearch.Hit::path).toList());
    assertEquals(List.of("docs/a.pdf", "more/docs/a.pdf"), s.in(day2).stream().map(TreeSearch.Hit::path).toList());
    assertEquals(1, loaded.stream().filter(shared::equals).count(), "the shared directory was read once: " + loaded);
    assertEquals(List.of(), new TreeSearch(this::load, n -> n.equals("nothing"), 100).in(day2));
  }

  @Test
  void tooManyMatches_stopTheSearch() {
    BlobId root = put(file("a"), file("b"), file("c"));
    assertThrows(TreeSearch.TooManyHits.class, () -> new TreeSearch(this::load, n -> true, 2).in(root));
  }
}
