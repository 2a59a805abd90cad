package org.selfstorage.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real selfstorage jar in its own JVM, as a user would through the launcher. */
final class Cli {
  private Cli() {}

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("selfstorage.jar", "../cli/target/selfstorage.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no launcher jar at " + jar.toAbsolutePath() + "; run mvn package first");
    }
    return jar;
  }

  static List<String> command(Path home, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the launcher's own options: restore and the agent get room for about a million files, every
    // other command the heap the benchmarks promise to stay within
    boolean big = args.length > 0 && (args[0].equals("restore") || args[0].equals("agent"));
    cmd.add(big ? "-Xmx1g" : "-Xmx256m");
    cmd.add("-XX:+UseG1GC");
    cmd.add("-jar");
    cmd.add(jar().toString());
    if (home != null) {
      cmd.add("--home");
      cmd.add(home.toString());
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  static Result run(Path home, String... args) throws IOException, InterruptedException {
    return run(java.util.Map.of(), home, args);
  }

  /** As {@link #run(Path, String...)}, with more environment variables (e.g. SELFSTORAGE_NO_AGENT). */
  static Result run(java.util.Map<String, String> env, Path home, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command(home, args));
    pb.environment().put("LC_ALL", "C.UTF-8");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("selfstorage-out", ".txt");
    Path err = Files.createTempFile("selfstorage-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("selfstorage " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }
}
