package org.selfstorage.agent.tree;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.selfstorage.catalog.BlobId;

/**
 * A directory listing, stored as a blob. Entries are sorted by the bytes of their names and the
 * encoding is canonical, so an unchanged directory encodes to the same bytes, hence the same blob
 * id, and costs nothing in a new snapshot. The format is in docs/design.md ("Tree blobs").
 */
public record Tree(List<Node> nodes) {
  static final int VERSION = 1;
  private static final Comparator<Node> BY_NAME = (a, b) -> Arrays.compareUnsigned(a.name(), b.name());

  public Tree {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(BY_NAME);
    nodes = List.copyOf(sorted);
  }

  /** The entry with this name, by binary search, or null. */
  public Node find(byte[] name) {
    int lo = 0;
    int hi = nodes.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(nodes.get(mid).name(), name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return nodes.get(mid);
      }
    }
    return null;
  }

  public Node find(String name) {
    return find(name.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + nodes.size() * 96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeInt(nodes.size());
      for (Node n : nodes) {
        writeBytes(out, n.name());
        out.writeByte(n.type().code());
        out.writeInt(n.mode());
        out.writeInt(n.uid());
        out.writeInt(n.gid());
        out.writeLong(n.mtimeSeconds());
        out.writeInt(n.mtimeNanos());
        out.writeLong(n.ctimeSeconds());
        out.writeInt(n.ctimeNanos());
        out.writeLong(n.inode());
        out.writeLong(n.device());
        out.writeInt(n.links());
        out.writeLong(n.size());
        out.writeLong(n.rdev());
        writeBytes(out, n.linkTarget() == null ? new byte[0] : n.linkTarget());
        out.writeBoolean(n.subtree() != null);
        if (n.subtree() != null) {
          out.write(n.subtree().bytes());
        }
        out.writeInt(n.content().size());
        for (ChunkRef c : n.content()) {
          out.writeBoolean(c.isZeros());
          if (!c.isZeros()) {
            out.write(c.blob().bytes());
          }
          out.writeInt(c.length());
        }
        writeBytes(out, n.incomplete() == null ? new byte[0] : n.incomplete().getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Tree decode(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new TreeFormatException("tree format version " + version + " is not supported");
      }
      int count = in.readInt();
      if (count < 0 || count > data.length) {
        throw new TreeFormatException("tree claims " + count + " entries");
      }
      List<Node> nodes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] name = readBytes(in, data.length);
        NodeType type = NodeType.fromCode(in.readUnsignedByte());
        int mode = in.readInt();
        int uid = in.readInt();
        int gid = in.readInt();
        long mtimeS = in.readLong();
        int mtimeN = in.readInt();
        long ctimeS = in.readLong();
        int ctimeN = in.readInt();
        long inode = in.readLong();
        long device = in.readLong();
        int links = in.readInt();
        long size = in.readLong();
        long rdev = in.readLong();
        byte[] target = readBytes(in, data.length);
        BlobId subtree = null;
        if (in.readBoolean()) {
          subtree = new BlobId(in.readNBytes(BlobId.LENGTH));
        }
        int chunks = in.readInt();
        if (chunks < 0 || chunks > data.length) {
          throw new TreeFormatException("entry claims " + chunks + " chunks");
        }
        List<ChunkRef> content = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
          boolean zeros = in.readBoolean();
          BlobId blob = zeros ? null : new BlobId(in.readNBytes(BlobId.LENGTH));
          content.add(new ChunkRef(blob, in.readInt()));
        }
        byte[] incomplete = readBytes(in, data.length);
        nodes.add(new Node(name, type, mode, uid, gid, mtimeS, mtimeN, ctimeS, ctimeN, inode, device, links, size,
            rdev, type == NodeType.SYMLINK ? target : null, subtree, content,
            incomplete.length == 0 ? null : new String(incomplete, StandardCharsets.UTF_8)));
      }
      if (in.available() > 0) {
        throw new TreeFormatException("tree blob has " + in.available() + " bytes after its last entry");
      }
      return new Tree(nodes);
    } catch (EOFException | IllegalArgumentException e) {
      throw new TreeFormatException("tree blob is truncated or malformed: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in, int limit) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > limit) {
      throw new TreeFormatException("tree field claims " + n + " bytes");
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException();
    }
    return b;
  }
}
