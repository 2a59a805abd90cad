package org.selfstorage.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.InvitationInfo;
import org.selfstorage.agent.PartnerInfo;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.RestoreResult;
import org.selfstorage.agent.RunningAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"A walkthrough on this machine, in a temporary directory that is removed afterwards:",
        "four agents with their own homes on loopback ports pair with invitation codes, one backs up a sample",
        "tree onto the other three over SSH, one partner stops, and everything is restored byte-exact."})
final class DemoCommand implements Callable<Integer> {
  private static final List<String> NAMES = List.of("alice", "bob", "carol", "dave");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--keep", description = "Keep the demo directory instead of removing it.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Console console = SelfstorageCommand.of(spec).console();
    PrintStream out = console.out();
    Path dir = Files.createTempDirectory("selfstorage-demo-");
    Clock clock = Clock.systemDefaultZone();
    Map<String, RunningAgent> running = new LinkedHashMap<>();
    try {
      Path data = dir.resolve("data");
      makeSampleTree(data);
      out.println("== selfstorage demo in " + dir);
      Map<String, Home> homes = new LinkedHashMap<>();
      for (String name : NAMES) {
        Home home = new Home(dir.resolve(name));
        Agent.init(home, clock, name, "127.0.0.1:" + freePort(), null);
        try (Agent a = Agent.open(home, clock)) {
          // the demo's short-lived agents must not take the web UI port a real agent would use
          a.configSet(ConfigKey.UI_LISTEN.key(), "127.0.0.1:0");
        }
        homes.put(name, home);
      }
      out.println("1. four homes, each with its own master key and SSH identity: " + String.join(", ", NAMES));
      for (String name : NAMES) {
        running.put(name, RunningAgent.start(homes.get(name), clock, line -> {}));
      }
      out.println("2. four agents listening on 127.0.0.1 ports " + running.values().stream()
          .map(r -> Integer.toString(r.port())).collect(Collectors.joining(", ")));
      try (Agent alice = running.get("alice").openAgent()) {
        for (String name : NAMES.subList(1, NAMES.size())) {
          InvitationInfo code = alice.mesh().invite(1L << 30, Duration.ofHours(1));
          try (Agent partner = running.get(name).openAgent()) {
            partner.mesh().join(code.code(), 1L << 30, null);
          }
          out.println("3. alice invites " + name + " (code " + code.code().substring(0, 17) + "...); " + name
              + " joins: each keeps up to 1 GiB of the other's shards");
        }
        alice.addSource(data, "docs");
        BackupResult backup = alice.backup("docs", null, Terminal.progress(false, console));
        Terminal.endProgress(false, console);
        out.printf("4. alice backs up %d files, %s: %d+%d shards per pack, %s sent to partners in %s%n",
            backup.files(), Terminal.size(backup.bytes()), backup.dataShards(), backup.parityShards(),
            Terminal.size(backup.storedBytes()), Terminal.duration(backup.elapsed()));
        out.println("5. alice's partners and where her shards are:");
        for (PartnerInfo p : alice.mesh().partners(true)) {
          out.printf("     %-6s site %-6s %-4s %4d shards, %s of %s%n", p.name(), p.site(), p.status(), p.shards(),
              Terminal.size(p.storedWithThem()), Terminal.size(p.hostsForUs()));
        }
        BackupResult again = alice.backup("docs", null, Progress.Listener.NONE);
        out.printf("6. second backup with nothing changed: read %d files, added %s%n", again.filesRead(),
            Terminal.size(again.addedBytes()));
      }
      running.remove("dave").close();
      out.println("7. dave's agent stops (as if his server went down)");
      try (Agent alice = running.get("alice").openAgent()) {
        Path restored = dir.resolve("restored");
        RestoreResult r = alice.restore("latest", restored, List.of(), Terminal.progress(false, console));
        Terminal.endProgress(false, console);
        boolean same = sameTrees(data, restored);
        out.printf("8. alice restores from bob and carol: %d files, %s — %s%n", r.files(), Terminal.size(r.bytes()),
            same ? "byte-exact" : "DIFFERENT");
        if (!same) {
          return ExitCodes.FAILURE;
        }
      }
      out.println("Done. Try it on your own servers: see README.md.");
      return ExitCodes.OK;
    } finally {
      running.values().forEach(RunningAgent::close);
      if (keep) {
        out.println("(kept " + dir + ")");
      } else {
        deleteTree(dir);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
