package org.selfstorage.agent.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfstorage.agent.repo.Keys;
import org.selfstorage.agent.tree.ChunkRef;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobEntry;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.BlobType;
import org.selfstorage.catalog.PackId;
import org.selfstorage.crypto.MasterSecret;

/**
 * Golden vectors for the formats of docs/design.md §5, made with the master secret
 * 000102…0f. Stored bytes from an earlier build must keep opening: if one of these fails, the
 * format changed and needs a new version number, not an edit.
 */
class FormatVectorsTest {
  static final HexFormat HEX = HexFormat.of();
  static final Keys KEYS = Keys.derive(MasterSecret.fromBytes(HEX.parseHex("000102030405060708090a0b0c0d0e0f")));
  static final PackId PACK = PackId.fromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  static final byte[] HELLO = "hello, selfstorage".getBytes(StandardCharsets.US_ASCII);

  static final String TREE_HEX = 
      "01000000020000000968656c6c6f2e74787401000001a4000003e8000003e8000000006553f10000000005000000006553f10100000006000000000000002a0000000000000007000000010000000000000012000000000000000000000000000000000200dca46a31008ff46adc5589b232a123d39841d4b728506d0233da7c65ffbbdf2200000012010000100000000000000000046c696e6b03000001ff0000000000000000000000000000000100000002000000000000000300000004000000000000002b000000000000000700000001000000000000000000000000000000000000000968656c6c6f2e747874000000000000000000";
  static final String PACK_HEX = 
      "c34b61deb0f97fbc2916a9cfc0d7bc95f4ffaec488e4b3c386289effa6f8bb70e72af6cea7a0611f1510ec2ae35f3d03e0161d621e6df676ecb2a056c10bab6cc5669e0dea431f851839f34f729de9a4caae66bd43c38ba4c883ae3d27c7b059d909c2c7b8b0d9e12c8317c62b028b99cf98c81f2b6d546d658361cb430000004e53535031";
  static final String SHARD_HEX = 
      "5353534801010201a0a1a2a3a4a5a6a7a8a9aaabacadaeaf000000120000001276a9db0e7b30cd59fdf75a1ce2a1d398e1445158ee2d15bf5aaea35fd86f35efa5684662919fc66884add6bbc01d63c04c1be6a6b95e0a8f455f22da68656c6c6f2c2073656c6673746f72616765";

  static Tree tree() {
    BlobId chunk = new BlobId(KEYS.chunkId().id(HELLO, 0, HELLO.length));
    Node file = new Node("hello.txt".getBytes(StandardCharsets.UTF_8), NodeType.FILE, 0644, 1000, 1000, 1_700_000_000L,
        5, 1_700_000_001L, 6, 42, 7, 1, HELLO.length, 0, null, null, List.of(new ChunkRef(chunk, HELLO.length),
            ChunkRef.zeros(4096)), null);
    Node link = new Node("link".getBytes(StandardCharsets.UTF_8), NodeType.SYMLINK, 0777, 0, 0, 1, 2, 3, 4, 43, 7, 1, 0,
        0, "hello.txt".getBytes(StandardCharsets.UTF_8), null, List.of(), null);
    return new Tree(List.of(link, file));
  }

  @Test
  void tree_encodesToTheDocumentedBytes() {
    assertEquals(TREE_HEX, HEX.formatHex(tree().encode()));
  }

  @Test
  void storedPack_opens_andListsItsBlob() {
    byte[] pack = HEX.parseHex(PACK_HEX);
    List<BlobEntry> entries = PackHeader.read(PACK, pack, pack.length, KEYS.packHeader());
    assertEquals(1, entries.size());
    BlobEntry e = entries.get(0);
    assertEquals(BlobType.DATA, e.type());
    assertArrayEquals(KEYS.chunkId().id(HELLO, 0, HELLO.length), e.id().bytes());
    byte[] plain = new BlobSealer(KEYS.blob(), 1).open(e.id(), pack, e.offset(), e.length(), e.rawLength());
    assertArrayEquals(HELLO, plain);
  }

  @Test
  void storedShard_verifies_andCarriesItsBody() {
    byte[] shard = HEX.parseHex(SHARD_HEX);
    ShardFile.Header h = ShardFile.verify(shard, PACK, 1, KEYS.shardHeader());
    assertEquals(2, h.dataShards());
    assertEquals(1, h.parityShards());
    assertEquals(HELLO.length, h.packLength());
    assertArrayEquals(HELLO, ShardFile.body(shard));
  }

  /** Prints fresh vectors (run by hand when a format version is added). */
  public static void main(String[] args) {
    System.out.println("tree  " + HEX.formatHex(tree().encode()));
    BlobId id = new BlobId(KEYS.chunkId().id(HELLO, 0, HELLO.length));
    byte[] blob = new BlobSealer(KEYS.blob(), 1).seal(id, HELLO, 0, HELLO.length);
    byte[] header = PackHeader.seal(PACK, List.of(new BlobEntry(id, PACK, 0, blob.length, HELLO.length, BlobType.DATA)),
        KEYS.packHeader());
    java.nio.ByteBuffer pack = java.nio.ByteBuffer.allocate(blob.length + header.length + PackHeader.TRAILER);
    pack.put(blob).put(header).putInt(header.length).put(PackHeader.MAGIC);
    System.out.println("pack  " + HEX.formatHex(pack.array()));
    System.out.println("shard " + HEX.formatHex(ShardFile.encode(PACK, 1, 2, 1, HELLO.length, HELLO, KEYS.shardHeader())));
  }
}
