package org.selfstorage.agent.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.selfstorage.catalog.BlobId;

class TreeTest {
  private static final byte[] NFC_E_ACUTE = Normalizer.normalize("é", Normalizer.Form.NFC)
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] NFD_E_ACUTE = Normalizer.normalize("é", Normalizer.Form.NFD)
      .getBytes(StandardCharsets.UTF_8);

  // ---------------------------------------------------------------- generators

  /** File names as raw bytes: anything Linux allows (no NUL, no '/'), plus the awkward classics. */
  @Provide
  Arbitrary<byte[]> names() {
    Arbitrary<byte[]> any = Arbitraries.bytes()
        .filter(b -> b != 0 && b != '/')
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(255);
    Arbitrary<byte[]> awkward = Arbitraries.of(
        "\n", "a\nb", "-", "-rf", "--", ".hidden", " ", "trailing ", "\u65e5\u672c", "\r\n")
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> longest = Arbitraries.bytes().filter(b -> b != 0 && b != '/')
        .array(byte[].class).ofSize(255);
    Arbitrary<byte[]> accents = Arbitraries.of(NFC_E_ACUTE.clone(), NFD_E_ACUTE.clone());
    Arbitrary<byte[]> notUtf8 = Arbitraries.of(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc3});
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, any),
        net.jqwik.api.Tuple.of(2, awkward),
        net.jqwik.api.Tuple.of(1, longest),
        net.jqwik.api.Tuple.of(2, accents),
        net.jqwik.api.Tuple.of(1, notUtf8));
  }

  @Provide
  Arbitrary<BlobId> blobIds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(BlobId.LENGTH).map(BlobId::new);
  }

  @Provide
  Arbitrary<ChunkRef> chunkRefs() {
    Arbitrary<Integer> lengths = Arbitraries.integers().between(0, 8 << 20);
    return Arbitraries.oneOf(
        Combinators.combine(blobIds(), lengths).as(ChunkRef::new),
        lengths.map(ChunkRef::zeros));
  }

  @Provide
  Arbitrary<String> reasons() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\u65e5', '\n').ofMinLength(1).ofMaxLength(80);
  }

  /** A node with a given name; its other fields follow its type, as the scanner records them. */
  Arbitrary<Node> nodes(byte[] name) {
    Arbitrary<NodeType> types = Arbitraries.of(NodeType.class);
    Arbitrary<Integer> ints = Arbitraries.integers();
    Arbitrary<Long> longs = Arbitraries.longs();
    Arbitrary<byte[]> targets = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<List<ChunkRef>> contents = chunkRefs().list().ofMaxSize(6);
    Arbitrary<String> incomplete = reasons().injectNull(0.5);
    return Combinators.combine(types, ints, ints, longs, longs, longs, targets, blobIds())
        .flatAs((type, mode, uid, mtime, inode, size, target, subtree) ->
            Combinators.combine(contents, incomplete, ints, longs, ints).as((content, why, nanos, device, links) ->
                new Node(name.clone(), type, mode, uid, ~uid, mtime, nanos, ~mtime, ~nanos, inode, device, links, size,
                    type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE ? device ^ 0x5a5a : 0,
                    type == NodeType.SYMLINK ? target : null,
                    type == NodeType.DIR ? subtree : null,
                    type == NodeType.FILE ? content : List.of(),
                    type == NodeType.FILE ? why : null)));
  }

  /** The entries of one directory: distinct names, in no particular order. */
  @Provide
  Arbitrary<List<Node>> directories() {
    return names().list().ofMaxSize(12).uniqueElements(ByteBuffer::wrap)
        .flatMap(names -> {
          List<Arbitrary<Node>> each = new ArrayList<>();
          for (byte[] n : names) {
            each.add(nodes(n));
          }
          return Combinators.combine(each).as(list -> list);
        });
  }

  // ---------------------------------------------------------------- round trip and canonical form

  @Property(tries = 300)
  void decode_ofEncode_returnsTheSameNodes(@ForAll("directories") List<Node> nodes) {
    Tree tree = new Tree(nodes);
    byte[] encoded = tree.encode();

    Tree decoded = Tree.decode(encoded);

    assertEquals(describe(tree), describe(decoded));
    assertArrayEquals(encoded, decoded.encode(), "re-encoding a decoded tree must give the same bytes");
  }

  @Property(tries = 200)
  void encode_sameNodesInAnyOrder_givesIdenticalBytes(@ForAll("directories") List<Node> nodes, @ForAll long seed) {
    List<Node> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, new Random(seed));

    assertArrayEquals(new Tree(nodes).encode(), new Tree(shuffled).encode());
  }

  @Property(tries = 200)
  void tree_anyInput_keepsNodesSortedByUnsignedNameBytes(@ForAll("directories") List<Node> nodes) {
    List<Node> sorted = new Tree(nodes).nodes();
    for (int i = 1; i < sorted.size(); i++) {
      assertTrue(Arrays.compareUnsigned(sorted.get(i - 1).name(), sorted.get(i).name()) < 0);
    }
  }

  @Property(tries = 200)
  void find_everyName_returnsItsNodeAndNoOther(@ForAll("directories") List<Node> nodes, @ForAll("names") byte[] other) {
    Tree tree = Tree.decode(new Tree(nodes).encode());
    for (Node n : nodes) {
      Node found = tree.find(n.name());
      assertNotNull(found, () -> "no entry for " + HexFormat.of().formatHex(n.name()));
      assertEquals(describe(n), describe(found));
    }
    boolean present = nodes.stream().anyMatch(n -> Arrays.equals(n.name(), other));
    assertEquals(present, tree.find(other) != null);
  }

  @Test
  void encode_eachNodeType_roundTripsWithItsFields() {
    BlobId a = blob(1);
    BlobId b = blob(2);
    List<Node> nodes = List.of(
        node("file", NodeType.FILE, null, null, List.of(new ChunkRef(a, 1000), ChunkRef.zeros(1 << 20),
            new ChunkRef(b, 7), ChunkRef.zeros(0)), null),
        node("dir", NodeType.DIR, null, a, List.of(), null),
        node("link", NodeType.SYMLINK, "../target\nwith newline".getBytes(StandardCharsets.UTF_8), null, List.of(), null),
        node("fifo", NodeType.FIFO, null, null, List.of(), null),
        node("tty", NodeType.CHAR_DEVICE, null, null, List.of(), null),
        node("sda", NodeType.BLOCK_DEVICE, null, null, List.of(), null),
        node("sock", NodeType.SOCKET, null, null, List.of(), null),
        node("growing.log", NodeType.FILE, null, null, List.of(new ChunkRef(b, 10)),
            "changed while it was read"));

    Tree decoded = Tree.decode(new Tree(nodes).encode());

    assertEquals(nodes.size(), decoded.nodes().size());
    for (Node n : nodes) {
      assertEquals(describe(n), describe(decoded.find(n.nameString())));
    }
    Node file = decoded.find("file");
    assertEquals(List.of(false, true, false, true), file.content().stream().map(ChunkRef::isZeros).toList());
    assertEquals(1 << 20, file.content().get(1).length());
    assertNull(file.incomplete());
    assertEquals("changed while it was read", decoded.find("growing.log").incomplete());
    assertEquals(a, decoded.find("dir").subtree());
    assertArrayEquals("../target\nwith newline".getBytes(StandardCharsets.UTF_8), decoded.find("link").linkTarget());
  }

  @Test
  void tree_nfcAndNfdSpellingsOfOneName_stayTwoEntries() {
    assertTrue(!Arrays.equals(NFC_E_ACUTE, NFD_E_ACUTE), "the two spellings must differ as bytes");
    Node composed = node(NFC_E_ACUTE, 1);
    Node decomposed = node(NFD_E_ACUTE, 2);

    Tree decoded = Tree.decode(new Tree(List.of(composed, decomposed)).encode());

    assertEquals(2, decoded.nodes().size());
    assertEquals(1, decoded.find(NFC_E_ACUTE).inode());
    assertEquals(2, decoded.find(NFD_E_ACUTE).inode());
    assertArrayEquals(NFC_E_ACUTE, decoded.find(NFC_E_ACUTE).name());
    assertArrayEquals(NFD_E_ACUTE, decoded.find(NFD_E_ACUTE).name());
  }

  @Test
  void tree_namesWithHighBytes_sortUnsigned() {
    Node high = node(new byte[] {(byte) 0xff}, 1);
    Node low = node(new byte[] {'a'}, 2);
    Node shorter = node(new byte[] {}, 3);

    List<Node> sorted = new Tree(List.of(high, low, shorter)).nodes();

    assertEquals(List.of(3L, 2L, 1L), sorted.stream().map(Node::inode).toList());
  }

  @Test
  void find_byString_usesUtf8Bytes() {
    Tree tree = new Tree(List.of(node("r\u00e9sum\u00e9.txt".getBytes(StandardCharsets.UTF_8), 7),
        node("-rf".getBytes(StandardCharsets.UTF_8), 8)));

    assertEquals(7, tree.find("r\u00e9sum\u00e9.txt").inode());
    assertEquals(8, tree.find("-rf").inode());
    assertNull(tree.find("resume.txt"));
    assertNull(tree.find("-r"));
    assertNull(new Tree(List.of()).find("anything"));
  }

  @Test
  void decode_emptyTree_isEmpty() {
    Tree decoded = Tree.decode(new Tree(List.of()).encode());

    assertTrue(decoded.nodes().isEmpty());
  }

  // ---------------------------------------------------------------- damage

  @Test
  void decode_everyTruncationOfAValidTree_throwsTreeFormatException() {
    byte[] full = sampleTree().encode();

    for (int length = 0; length < full.length; length++) {
      byte[] cut = Arrays.copyOf(full, length);
      int l = length;
      assertThrows(TreeFormatException.class, () -> Tree.decode(cut), () -> "truncated to " + l + " bytes");
    }
  }

  @Test
  void decode_trailingBytes_throwsTreeFormatException() {
    byte[] full = sampleTree().encode();

    for (int extra = 1; extra <= 4; extra++) {
      byte[] longer = Arrays.copyOf(full, full.length + extra);
      assertThrows(TreeFormatException.class, () -> Tree.decode(longer));
    }
  }

  @Test
  void decode_unknownVersion_throwsTreeFormatException() {
    byte[] data = sampleTree().encode();
    data[0] = 2;

    TreeFormatException e = assertThrows(TreeFormatException.class, () -> Tree.decode(data));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void decode_unknownNodeType_throwsTreeFormatException() {
    Node n = node("x".getBytes(StandardCharsets.UTF_8), 1);
    byte[] data = new Tree(List.of(n)).encode();
    int typeOffset = 1 + 4 + 4 + 1; // version, count, name length, the name "x"
    data[typeOffset] = 9;

    assertThrows(TreeFormatException.class, () -> Tree.decode(data));
  }

  @Test
  void decode_hugeClaimedCounts_throwsWithoutAllocatingThem() {
    byte[][] inputs = {
        {1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        {1, 0, 0, 0, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'},
    };
    for (byte[] input : inputs) {
      long allocated = allocatedBy(() -> assertThrows(TreeFormatException.class, () -> Tree.decode(input)));
      assertTrue(allocated < 1 << 20, "decoding " + input.length + " bytes allocated " + allocated + " bytes");
    }
  }

  @Property(tries = 1000)
  void decode_randomBytes_returnsOrThrowsTreeFormatException(@ForAll @Size(max = 2048) byte[] data,
      @ForAll boolean looksLikeATree) {
    if (looksLikeATree && data.length > 0) {
      data[0] = 1; // get past the version check most of the time
    }
    decodeOrRefuse(data);
  }

  @Property(tries = 300)
  void decode_validTreeWithBytesChanged_returnsOrThrowsTreeFormatException(
      @ForAll("directories") List<Node> nodes, @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int changes) {
    byte[] data = new Tree(nodes).encode();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < changes; i++) {
      int at = random.nextInt(data.length);
      // mostly flip a bit; sometimes write a large value, as length fields are where decoders fall over
      data[at] = random.nextBoolean() ? (byte) (data[at] ^ (1 << random.nextInt(8))) : (byte) 0x7f;
    }
    decodeOrRefuse(data);
  }

  /** Decodes, allowing only success or TreeFormatException, and allocation linear in the input. */
  private static void decodeOrRefuse(byte[] data) {
    long allocated = allocatedBy(() -> {
      try {
        Tree.decode(data);
      } catch (TreeFormatException expected) {
        // the one acceptable failure
      } catch (RuntimeException | Error e) {
        fail("decoding " + data.length + " bytes threw " + e + " instead of TreeFormatException", e);
      }
    });
    long bound = (1 << 20) + 64L * data.length;
    assertTrue(allocated < bound, "decoding " + data.length + " bytes allocated " + allocated + " bytes");
  }

  /** Bytes allocated by this thread while running the work, or 0 where the JVM cannot tell. */
  private static long allocatedBy(Runnable work) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean hotspot) || !hotspot.isThreadAllocatedMemorySupported()) {
      work.run();
      return 0;
    }
    long id = Thread.currentThread().getId();
    long before = hotspot.getThreadAllocatedBytes(id);
    work.run();
    return hotspot.getThreadAllocatedBytes(id) - before;
  }

  // ---------------------------------------------------------------- sample nodes and comparison

  private static Tree sampleTree() {
    return new Tree(List.of(
        node("a", NodeType.FILE, null, null, List.of(new ChunkRef(blob(3), 5), ChunkRef.zeros(9)), "why"),
        node("b", NodeType.SYMLINK, "t".getBytes(StandardCharsets.UTF_8), null, List.of(), null),
        node("c", NodeType.DIR, null, blob(4), List.of(), null)));
  }

  private static BlobId blob(int seed) {
    byte[] b = new byte[BlobId.LENGTH];
    new SplittableRandom(seed).nextBytes(b);
    return new BlobId(b);
  }

  private static Node node(byte[] name, long inode) {
    return new Node(name, NodeType.FILE, 0644, 1000, 1000, 1, 2, 3, 4, inode, 5, 1, 0, 0, null, null, List.of(), null);
  }

  private static Node node(String name, NodeType type, byte[] target, BlobId subtree, List<ChunkRef> content,
      String incomplete) {
    return new Node(name.getBytes(StandardCharsets.UTF_8), type, 0755, 1000, 100, 1_700_000_000L, 123_456_789,
        1_700_000_001L, 987_654_321, 42L, 2049L, 1, 12345L, type == NodeType.BLOCK_DEVICE ? 0x0801 : 0, target,
        subtree, content, incomplete);
  }

  /** Every field of a node, arrays by content, so nodes compare by value. */
  private static String describe(Node n) {
    if (n == null) {
      return "null";
    }
    return String.join("|", hex(n.name()), n.type().name(), "" + n.mode(), "" + n.uid(), "" + n.gid(),
        n.mtimeSeconds() + "." + n.mtimeNanos(), n.ctimeSeconds() + "." + n.ctimeNanos(), "" + n.inode(),
        "" + n.device(), "" + n.links(), "" + n.size(), "" + n.rdev(), hex(n.linkTarget()), "" + n.subtree(),
        "" + n.content(), "" + n.incomplete());
  }

  private static List<String> describe(Tree t) {
    return t.nodes().stream().map(TreeTest::describe).toList();
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }

  @Test
  void describe_distinguishesNodesThatDifferInOneField() {
    // guards describe() itself: a change in any field must show
    Node base = node("n", NodeType.FILE, null, null, List.of(ChunkRef.zeros(1)), null);
    Node other = base.withContent(List.of(ChunkRef.zeros(2)), null);
    assertTrue(!describe(base).equals(describe(other)));
  }
}
