package org.selfstorage.tests;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Damage done to shard files where they lie (a local store or a partner's hosted directory), the
 * way a failing disk or a careless partner would. Each method says what it did, for the report.
 */
final class ShardDamage {
  private ShardDamage() {}

  /** Shard files (not the catalog copies beside them) under a shards directory, sorted. */
  static List<Path> shardsUnder(Path shards) throws IOException {
    if (!Files.isDirectory(shards)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(shards)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("catalog."))
          .sorted().toList();
    }
  }

  /** The shards an agent hosts for {@code owner}. */
  static List<Path> hostedFor(MeshAgent host, String owner) throws IOException {
    return shardsUnder(host.home().resolve("hosted").resolve(owner).resolve("shards"));
  }

  /** Flips one bit of one byte at a random offset (header or body). */
  static String flipBit(Path shard, Random random) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      long pos = (long) (random.nextDouble() * f.length());
      f.seek(pos);
      int b = f.read();
      f.seek(pos);
      f.write(b ^ (1 << random.nextInt(8)));
      return "bit flip at " + pos + " in " + shard.getFileName();
    }
  }

  /** Cuts the file to a random shorter length (possibly 0). */
  static String truncate(Path shard, Random random) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      long to = (long) (random.nextDouble() * f.length());
      f.setLength(to);
      return "truncated " + shard.getFileName() + " to " + to + " bytes";
    }
  }

  static String delete(Path shard) throws IOException {
    Files.delete(shard);
    return "deleted " + shard.getFileName();
  }

  /** Exchanges the contents of two shard files (two valid shards under each other's names). */
  static String swap(Path a, Path b) throws IOException {
    byte[] x = Files.readAllBytes(a);
    byte[] y = Files.readAllBytes(b);
    Files.write(a, y);
    Files.write(b, x);
    return "swapped " + a.getFileName() + " and " + b.getFileName();
  }

  /** Puts an older, valid shard's bytes under {@code victim}'s name: stale data, rightly formed. */
  static String stale(Path older, Path victim) throws IOException {
    Files.write(victim, Files.readAllBytes(older));
    return "stale copy of " + older.getFileName() + " under " + victim.getFileName();
  }

  /** One random kind of damage to {@code victim}; {@code other} is a second shard for swap and stale. */
  static String any(Path victim, Path other, Random random) throws IOException {
    return switch (random.nextInt(5)) {
      case 0 -> flipBit(victim, random);
      case 1 -> truncate(victim, random);
      case 2 -> delete(victim);
      case 3 -> other != null && !other.equals(victim) ? swap(victim, other) : flipBit(victim, random);
      default -> other != null && !other.equals(victim) ? stale(other, victim) : truncate(victim, random);
    };
  }
}
