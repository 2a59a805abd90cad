package org.selfstorage.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.selfstorage.agent.tree.NativeNames;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;

/** Reads what a tree records about one directory entry, without following symlinks or opening it. */
final class FileScanner {
  private static final String ATTRIBUTES = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,ctime";
  static final String CHANGE_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino";

  private FileScanner() {}

  static Node scan(Path path, byte[] name) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    NodeType type = typeOf(mode);
    Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
    Instant ctime = ((FileTime) a.get("ctime")).toInstant();
    byte[] target = null;
    if (type == NodeType.SYMLINK) {
      target = NativeNames.targetOf(Files.readSymbolicLink(path));
    }
    long size = type == NodeType.FILE ? (Long) a.get("size") : 0;
    return new Node(name, type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
        mtime.getEpochSecond(), mtime.getNano(), ctime.getEpochSecond(), ctime.getNano(), (Long) a.get("ino"),
        (Long) a.get("dev"), (Integer) a.get("nlink"), size, (Long) a.get("rdev"), target, null, List.of(), null);
  }

  /**
   * What changes when a file is written, compared before and after reading it. Instants rather
   * than strings: formatting two times per file for a string stamp was measurable in a backup of
   * tens of thousands of small files.
   */
  record ChangeStamp(long size, Instant mtime, Instant ctime, long inode) {
    /** The stamp of a file as {@link #scan} found it. */
    static ChangeStamp of(Node n) {
      return new ChangeStamp(n.size(), Instant.ofEpochSecond(n.mtimeSeconds(), n.mtimeNanos()),
          Instant.ofEpochSecond(n.ctimeSeconds(), n.ctimeNanos()), n.inode());
    }
  }

  static ChangeStamp changeStamp(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, CHANGE_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    return new ChangeStamp((Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
        ((FileTime) a.get("ctime")).toInstant(), (Long) a.get("ino"));
  }

  static NodeType typeOf(int mode) throws IOException {
    return switch (mode & 0170000) {
      case 0100000 -> NodeType.FILE;
      case 0040000 -> NodeType.DIR;
      case 0120000 -> NodeType.SYMLINK;
      case 0010000 -> NodeType.FIFO;
      case 0020000 -> NodeType.CHAR_DEVICE;
      case 0060000 -> NodeType.BLOCK_DEVICE;
      case 0140000 -> NodeType.SOCKET;
      default -> throw new IOException("unknown file type " + Integer.toOctalString(mode));
    };
  }
}
