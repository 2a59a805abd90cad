package org.selfstorage.agent.tree;

/** A tree blob that does not decode: a bug or damage, never a user error. */
public final class TreeFormatException extends RuntimeException {
  public TreeFormatException(String message) {
    super(message);
  }
}
