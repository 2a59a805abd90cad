package org.selfstorage.agent.tree;

import java.util.List;
import org.selfstorage.catalog.BlobId;

/**
 * One directory entry as recorded in a snapshot. {@code name} is the raw bytes of the file name.
 * ctime, inode and device serve change detection and hard links; they are not restored.
 *
 * @param subtree the tree blob of a directory, else null
 * @param content the chunks of a regular file, else empty
 * @param incomplete why the file could not be stored consistently, or null when it was
 */
public record Node(
    byte[] name,
    NodeType type,
    int mode,
    int uid,
    int gid,
    long mtimeSeconds,
    int mtimeNanos,
    long ctimeSeconds,
    int ctimeNanos,
    long inode,
    long device,
    int links,
    long size,
    long rdev,
    byte[] linkTarget,
    BlobId subtree,
    List<ChunkRef> content,
    String incomplete) {

  /** The name as text, losslessly: see {@link NativeNames#display}. */
  public String nameString() {
    return NativeNames.display(name);
  }

  public boolean isHardLinked() {
    return type == NodeType.FILE && links > 1;
  }

  public Node withContent(List<ChunkRef> newContent, String newIncomplete) {
    return new Node(name, type, mode, uid, gid, mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos, inode, device,
        links, size, rdev, linkTarget, subtree, newContent, newIncomplete);
  }

  public Node withSubtree(BlobId tree) {
    return new Node(name, type, mode, uid, gid, mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos, inode, device,
        links, size, rdev, linkTarget, tree, content, incomplete);
  }

  /** A directory recorded with its tree: a backup compares against that tree, entry by entry. */
  public boolean isDirectoryWithTree() {
    return type == NodeType.DIR && subtree != null;
  }

  /** True when the file on disk looks unchanged, so its recorded content can be reused unread. */
  public boolean sameFileAs(Node other) {
    return other != null
        && type == NodeType.FILE
        && other.type == NodeType.FILE
        && other.incomplete == null
        && size == other.size
        && mtimeSeconds == other.mtimeSeconds
        && mtimeNanos == other.mtimeNanos
        && ctimeSeconds == other.ctimeSeconds
        && ctimeNanos == other.ctimeNanos
        && inode == other.inode;
  }
}
