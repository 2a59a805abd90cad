package org.selfstorage.bench;

import java.util.SplittableRandom;

/** Deterministic benchmark inputs. */
final class BenchData {

  private BenchData() {}

  static byte[] of(String kind, int size, long seed) {
    switch (kind) {
      case "random":
        return random(size, seed);
      case "text":
        return text(size, seed);
      default:
        throw new IllegalArgumentException("unknown data kind " + kind);
    }
  }

  /** Uniform random bytes: incompressible, no repeats. */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /**
   * Text-like bytes: words of a 2,000-word made-up vocabulary, drawn with a Zipf-like skew, with
   * capitals, punctuation and line breaks. zstd level 3 compresses it about 3:1, like English prose
   * or source code.
   */
  static byte[] text(int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] syllables = {
      "ka", "re", "to", "mi", "an", "sel", "for", "de", "ing", "the", "ver", "o", "pa", "li", "st",
      "or", "en", "back", "up", "chu", "nk", "ion", "al", "is", "ra", "te", "co", "ne", "s", "ar"
    };
    String[] words = new String[2000];
    for (int i = 0; i < words.length; i++) {
      StringBuilder w = new StringBuilder();
      int n = 1 + r.nextInt(3) + (i > 200 ? 1 : 0);
      for (int s = 0; s < n; s++) {
        w.append(syllables[r.nextInt(syllables.length)]);
      }
      words[i] = w.toString();
    }
    byte[] b = new byte[size];
    int pos = 0;
    boolean sentenceStart = true;
    int lineLength = 0;
    while (pos < size) {
      // Zipf-like: index = words.length ^ u - 1, u uniform in [0, 1)
      int index = (int) Math.pow(words.length, r.nextDouble()) - 1;
      String w = words[index];
      for (int c = 0; c < w.length() && pos < size; c++) {
        char ch = w.charAt(c);
        b[pos++] = (byte) (sentenceStart && c == 0 ? Character.toUpperCase(ch) : ch);
      }
      lineLength += w.length() + 1;
      sentenceStart = false;
      if (pos >= size) {
        break;
      }
      int p = r.nextInt(20);
      if (p == 0) {
        b[pos++] = '.';
        sentenceStart = true;
      } else if (p == 1) {
        b[pos++] = ',';
      }
      if (pos < size) {
        if (lineLength > 72) {
          b[pos++] = '\n';
          lineLength = 0;
        } else {
          b[pos++] = ' ';
        }
      }
    }
    return b;
  }
}
