package org.selfstorage.agent.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.selfstorage.agent.pack.ShardFile;
import org.selfstorage.agent.pack.ShardNames;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Partner;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.ShardName;

/**
 * Reads back the shards this agent keeps for its partners, a slice per round, and checks each
 * against the checksum in its own header (all a host without the key can check). What fails is
 * recorded; the owner learns of it at its next audit ({@code rot}), verifies, and rewrites it.
 * Each partner's files are read in name order from where the last round stopped, so over the
 * rounds of one verification period every file is read.
 */
public final class HostScrub {
  /** What one round found. */
  public record Outcome(long filesRead, long bytesRead, List<String> rotten) {}

  private final Map<String, String> resumeAfter = new HashMap<>();

  /**
   * One round over every partner we host for; {@code share} is the part of each partner's bytes to
   * read (at least one file each).
   */
  public Outcome round(Catalog catalog, List<HostedPartner> hosted, double share, Clock clock) {
    long files = 0;
    long bytes = 0;
    List<String> rotten = new ArrayList<>();
    for (HostedPartner p : hosted) {
      List<Path> all = shardFiles(p.root());
      if (all.isEmpty()) {
        continue;
      }
      long total = 0;
      for (Path f : all) {
        total += size(f);
      }
      long budget = (long) Math.ceil(total * share);
      String after = resumeAfter.getOrDefault(p.name(), "");
      int start = 0;
      while (start < all.size() && all.get(start).getFileName().toString().compareTo(after) <= 0) {
        start++;
      }
      long read = 0;
      for (int n = 0; n < all.size() && (n == 0 || read < budget); n++) {
        Path f = all.get((start + n) % all.size());
        String name = f.getFileName().toString();
        String problem;
        try {
          problem = ShardFile.scrubProblem(f);
        } catch (IOException e) {
          problem = "cannot be read: " + e.getMessage();
        }
        long size = size(f);
        read += size;
        files++;
        if (problem != null) {
          catalog.audits().addRot(p.name(), name, problem, clock.instant());
          rotten.add(name + " kept for " + p.name() + ": " + problem);
        }
        resumeAfter.put(p.name(), name);
      }
      bytes += read;
    }
    return new Outcome(files, bytes, rotten);
  }

  /** The partners this agent keeps shards for now. */
  public static List<HostedPartner> hostedFor(Catalog catalog, java.util.function.Function<Partner, HostedPartner> dir) {
    List<HostedPartner> out = new ArrayList<>();
    for (Partner p : catalog.partners().list()) {
      if (p.revokedAt() == null) {
        out.add(dir.apply(p));
      }
    }
    return out;
  }

  private static List<Path> shardFiles(Path root) {
    Path shards = root.resolve("shards");
    if (!Files.isDirectory(shards, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(shards, 2)) {
      return s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
          .filter(f -> isPackShard(f.getFileName().toString()))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** Pack shards only: catalog copies have no shard header (they are authenticated by the owner). */
  private static boolean isPackShard(String name) {
    return ShardName.isValid(name) && ShardNames.parse(new ShardName(name)) != null;
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }
}
