package org.selfstorage.tests;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The fault suite's ledger. A test class with {@code @ExtendWith(FaultReport.class)} gets a
 * {@link Scenario} parameter per test, and notes in it the faults it injected, the acknowledged
 * snapshots it checked, snapshots lost, corruptions injected and detected. When the whole run
 * ends, a summary table goes to stdout and to {@code target/fault-summary.txt}. A test skipped
 * through an assumption appears as "skipped: reason", so a missing capability never reads as a pass.
 */
final class FaultReport implements ParameterResolver, TestWatcher {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FaultReport.class);

  /** What one test did; its outcome is filled in when it ends. */
  static final class Scenario {
    final String name;
    final List<String> faults = new ArrayList<>();
    int acknowledged;
    int lost;
    int corruptionsInjected;
    int corruptionsDetected;
    String outcome = "running";

    Scenario(String name) {
      this.name = name;
    }

    /** A fault was injected; {@code what} says which and where. */
    synchronized Scenario fault(String what) {
      faults.add(what);
      return this;
    }

    /** A corruption was injected (also counts as a fault). */
    synchronized Scenario corrupted(String what) {
      corruptionsInjected++;
      return fault(what);
    }

    /** {@code n} injected corruptions were found (by check, restore or repair). */
    synchronized Scenario detected(int n) {
      corruptionsDetected += n;
      return this;
    }

    /** An acknowledged snapshot was restored and compared byte for byte; {@code exact} says how it went. */
    synchronized Scenario restored(boolean exact) {
      acknowledged++;
      if (!exact) {
        lost++;
      }
      return this;
    }
  }

  /** All scenarios of the run; written out when the run ends. */
  private static final class Ledger implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final List<Scenario> scenarios = new ArrayList<>();

    synchronized Scenario add(String name) {
      Scenario s = new Scenario(name);
      scenarios.add(s);
      return s;
    }

    @Override
    public synchronized void close() throws IOException {
      String table = table();
      PrintStream out = System.out;
      out.println(table);
      Path file = Path.of("target", "fault-summary.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, table, StandardCharsets.UTF_8);
    }

    String table() {
      StringBuilder b = new StringBuilder("\n== fault suite summary ==\n");
      b.append(String.format("%-64s %-8s %6s %6s %5s %7s %8s%n", "scenario", "outcome", "faults", "acked", "lost",
          "corrupt", "detected"));
      int faults = 0;
      int acked = 0;
      int lost = 0;
      int corrupt = 0;
      int detected = 0;
      int skipped = 0;
      int failed = 0;
      List<String> reasons = new ArrayList<>();
      for (Scenario s : scenarios) {
        String outcome = s.outcome.startsWith("skipped") ? "skipped" : s.outcome.startsWith("FAILED") ? "FAILED"
            : s.outcome;
        b.append(String.format("%-64s %-8s %6d %6d %5d %7d %8d%n", clip(s.name), outcome, s.faults.size(),
            s.acknowledged, s.lost, s.corruptionsInjected, s.corruptionsDetected));
        faults += s.faults.size();
        acked += s.acknowledged;
        lost += s.lost;
        corrupt += s.corruptionsInjected;
        detected += s.corruptionsDetected;
        if (!outcome.equals(s.outcome)) {
          reasons.add(clip(s.name) + ": " + s.outcome);
        }
        skipped += outcome.equals("skipped") ? 1 : 0;
        failed += outcome.equals("FAILED") ? 1 : 0;
      }
      b.append(String.format("%-64s %-8s %6d %6d %5d %7d %8d%n", "TOTAL: " + scenarios.size() + " scenarios, "
          + skipped + " skipped, " + failed + " failed", "", faults, acked, lost, corrupt, detected));
      b.append("acknowledged snapshots lost: ").append(lost).append(lost == 0 ? " (must be 0: ok)\n" : " (MUST BE 0)\n");
      reasons.forEach(r -> b.append("  ").append(r).append('\n'));
      return b.toString();
    }

    private static String clip(String s) {
      return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
  }

  private static Ledger ledger(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Ledger.class, k -> new Ledger(), Ledger.class);
  }

  private static Scenario scenarioOf(ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent(Scenario.class,
        k -> ledger(context).add(context.getRequiredTestClass().getSimpleName() + " " + context.getDisplayName()),
        Scenario.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Scenario.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return scenarioOf(e);
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    scenarioOf(context).outcome = "passed";
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    why = why.replaceFirst("^Assumption failed: ", "");
    scenarioOf(context).outcome = why.startsWith("skipped") ? why : "skipped: " + why;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    scenarioOf(context).outcome = "FAILED: " + cause;
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    ledger(context).add(context.getDisplayName()).outcome = "skipped: " + reason.orElse("disabled");
  }
}
