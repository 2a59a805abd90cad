package org.selfstorage.agent.tree;

/** The kind of a directory entry. Special files are recorded and recreated, never read. */
public enum NodeType {
  FILE(1),
  DIR(2),
  SYMLINK(3),
  FIFO(4),
  CHAR_DEVICE(5),
  BLOCK_DEVICE(6),
  SOCKET(7);

  private final int code;

  NodeType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static NodeType fromCode(int code) {
    for (NodeType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new TreeFormatException("unknown node type " + code);
  }
}
