package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A home with local stores in a temporary directory, driven through the real CLI. */
final class Repo {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final Path home;

  Repo(Path dir) {
    this.dir = dir;
    this.home = dir.resolve("home");
  }

  /** init, then one store per site under dir/stores. */
  static Repo create(Path dir, String... sites) throws Exception {
    Repo r = new Repo(dir);
    r.ok("init");
    for (String site : sites) {
      r.ok("store", "add", r.store(site).toString(), "--site", site);
    }
    return r;
  }

  Path store(String site) {
    return dir.resolve("stores").resolve(site);
  }

  /** The shard files in the stores of these sites (see {@link #shardFiles(String)}). */
  int shardFileCount(String... sites) throws IOException {
    int n = 0;
    for (String site : sites) {
      n += shardFiles(site).size();
    }
    return n;
  }

  Cli.Result run(String... args) throws Exception {
    return Cli.run(home, args);
  }

  Cli.Result ok(String... args) throws Exception {
    Cli.Result r = run(args);
    assertEquals(0, r.exitCode(), () -> String.join(" ", args) + " failed: " + r);
    return r;
  }

  JsonNode json(String... args) throws Exception {
    String[] withJson = Stream.concat(Stream.of(args), Stream.of("--json")).toArray(String[]::new);
    return JSON.readTree(ok(withJson).stdout());
  }

  /**
   * Every shard file of a store, sorted (not the catalog copies kept beside them). Names only, from
   * directory listings, so that it can be called while a backup or prune adds and deletes shards:
   * a file that goes between the listing and a look at it must not fail the call.
   */
  List<Path> shardFiles(String site) throws IOException {
    Path shards = store(site).resolve("shards");
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(shards)) {
      return found;
    }
    try (var prefixes = Files.newDirectoryStream(shards)) {
      for (Path prefix : prefixes) {
        try (var files = Files.newDirectoryStream(prefix)) {
          for (Path f : files) {
            if (!f.getFileName().toString().startsWith("catalog.")) {
              found.add(f);
            }
          }
        } catch (NoSuchFileException | NotDirectoryException e) {
          // gone since the listing, or a file beside the prefix directories
        }
      }
    }
    found.sort(null);
    return found;
  }
}
