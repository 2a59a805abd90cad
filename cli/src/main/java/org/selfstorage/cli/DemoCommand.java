package org.selfstorage.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.RestoreResult;
import org.selfstorage.agent.StatusReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"A walkthrough on this machine, in a temporary directory that is removed afterwards:",
        "three local stores on three sites, a sample tree backed up, one store destroyed, and a byte-exact restore."})
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--keep", description = "Keep the demo directory instead of removing it.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintStream out = SelfstorageCommand.of(spec).console().out();
    Path dir = Files.createTempDirectory("selfstorage-demo-");
    try {
      Home home = new Home(dir.resolve("home"));
      Path data = dir.resolve("data");
      makeSampleTree(data);
      out.println("== selfstorage demo in " + dir);
      Agent.InitResult init = Agent.init(home, Clock.systemDefaultZone());
      out.println("1. init: a home with a new master key. Recovery code: " + init.recoveryCode());
      BackupResult backup;
      try (Agent agent = Agent.open(home, Clock.systemDefaultZone())) {
        for (String site : List.of("usb1", "usb2", "nas")) {
          agent.addStore(dir.resolve("stores").resolve(site), null, site);
        }
        out.println("2. three stores, each its own site: usb1, usb2, nas");
        agent.addSource(data, "docs");
        backup = agent.backup("docs", null, Terminal.progress(false, SelfstorageCommand.of(spec).console()));
        Terminal.endProgress(false, SelfstorageCommand.of(spec).console());
        out.printf("3. backup: %d files, %s, cut into %d+%d shards per pack, %s written in %s%n", backup.files(),
            Terminal.size(backup.bytes()), backup.dataShards(), backup.parityShards(),
            Terminal.size(backup.storedBytes()), Terminal.duration(backup.elapsed()));
        BackupResult again = agent.backup("docs", null, org.selfstorage.agent.Progress.Listener.NONE);
        out.printf("4. second backup with nothing changed: read %d files, added %s%n", again.filesRead(),
            Terminal.size(again.addedBytes()));
      }
      deleteTree(dir.resolve("stores").resolve("usb2"));
      out.println("5. the store usb2 is destroyed (its directory deleted)");
      try (Agent agent = Agent.open(home, Clock.systemDefaultZone())) {
        StatusReport status = agent.status();
        out.printf("6. status: %d packs at risk (one more loss would hurt), %d lost%n", status.health().atRisk(),
            status.health().lost());
        Path restored = dir.resolve("restored");
        RestoreResult r = agent.restore("latest", restored, List.of(), Terminal.progress(false, SelfstorageCommand.of(spec).console()));
        Terminal.endProgress(false, SelfstorageCommand.of(spec).console());
        boolean same = sameTrees(data, restored);
        out.printf("7. restore from the two surviving stores: %d files, %s — %s%n", r.files(), Terminal.size(r.bytes()),
            same ? "byte-exact" : "DIFFERENT");
        if (!same) {
          return ExitCodes.FAILURE;
        }
      }
      out.println("Done. Try it on your own data: see README.md.");
      return ExitCodes.OK;
    } finally {
      if (keep) {
        out.println("(kept " + dir + ")");
      } else {
        deleteTree(dir);
      }
    }
  }

  private static void makeSampleTree(Path root) throws IOException {
    Random random = new Random(7);
    Files.createDirectories(root.resolve("photos"));
    Files.createDirectories(root.resolve("notes/2026"));
    for (int i = 0; i < 3; i++) {
      byte[] photo = new byte[(1 + i) << 20];
      random.nextBytes(photo);
      Files.write(root.resolve("photos/img_" + i + ".jpg"), photo);
    }
    StringBuilder text = new StringBuilder();
    String[] words = {"backup", "friend", "server", "shard", "restore", "quota", "site", "partner", "pack"};
    for (int i = 0; i < 200_000; i++) {
      text.append(words[random.nextInt(words.length)]).append(i % 12 == 11 ? ".\n" : " ");
    }
    Files.writeString(root.resolve("notes/2026/journal.txt"), text, StandardCharsets.UTF_8);
    Files.writeString(root.resolve("notes/todo – café.md"), "- water the plants\n", StandardCharsets.UTF_8);
    Files.copy(root.resolve("photos/img_1.jpg"), root.resolve("photos/img_1 copy.jpg"));
    Files.createSymbolicLink(root.resolve("latest-journal"), Path.of("notes/2026/journal.txt"));
    Files.createFile(root.resolve("empty"));
  }

  static boolean sameTrees(Path a, Path b) throws IOException {
    List<Path> left;
    List<Path> right;
    try (Stream<Path> s = Files.walk(a)) {
      left = s.map(a::relativize).sorted().toList();
    }
    try (Stream<Path> s = Files.walk(b)) {
      right = s.map(b::relativize).sorted().toList();
    }
    if (!left.equals(right)) {
      return false;
    }
    for (Path rel : left) {
      Path x = a.resolve(rel);
      Path y = b.resolve(rel);
      if (Files.isSymbolicLink(x)) {
        if (!Files.isSymbolicLink(y) || !Files.readSymbolicLink(x).equals(Files.readSymbolicLink(y))) {
          return false;
        }
      } else if (Files.isRegularFile(x) && !Arrays.equals(Files.readAllBytes(x), Files.readAllBytes(y))) {
        return false;
      }
    }
    return true;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
