package org.selfstorage.agent.chunk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/** Test fixtures: cutting whole arrays, hashing chunks, making data. */
final class Chunks {

  private Chunks() {}

  static List<Integer> lengths(Chunker chunker, byte[] data) {
    List<Integer> out = new ArrayList<>();
    for (int off = 0; off < data.length; ) {
      int n = chunker.cut(data, off, data.length - off);
      out.add(n);
      off += n;
    }
    return out;
  }

  static List<Integer> lengths(ReferenceChunker chunker, byte[] data) {
    List<Integer> out = new ArrayList<>();
    for (int off = 0; off < data.length; ) {
      int n = chunker.cut(data, off, data.length - off);
      out.add(n);
      off += n;
    }
    return out;
  }

  static List<String> hashes(byte[] data, List<Integer> lengths) {
    List<String> out = new ArrayList<>();
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    int off = 0;
    for (int n : lengths) {
      md.update(data, off, n);
      out.add(HexFormat.of().formatHex(md.digest()));
      off += n;
    }
    return out;
  }

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** Words of a small vocabulary with spaces and newlines: compressible, low-entropy bytes. */
  static byte[] textLike(long seed, int size) {
    String[] words = {
      "backup", "the", "of", "snapshot", "partner", "and", "chunk", "a", "pack", "shard",
      "to", "site", "restore", "in", "agent", "is", "file", "with", "data", "for"
    };
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[size];
    int i = 0;
    while (i < size) {
      String w = words[r.nextInt(words.length)];
      for (int c = 0; c < w.length() && i < size; c++) {
        b[i++] = (byte) w.charAt(c);
      }
      if (i < size) {
        b[i++] = (byte) (r.nextInt(12) == 0 ? '\n' : ' ');
      }
    }
    return b;
  }
}
