package org.selfstorage.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Examines a home from the ground up, even when it cannot be opened: the key, the catalog (present,
 * readable, intact), whether the agent runs, then everything {@code status} reports. Each finding
 * says what is wrong, why it matters and the command that fixes it.
 */
public final class Doctor {
  private Doctor() {}

  public static List<Finding> examine(Home home, Clock clock) {
    List<Finding> out = new ArrayList<>();
    if (!Files.exists(home.keyFile())) {
      boolean empty = !Files.exists(home.catalogFile());
      out.add(new Finding(empty ? "NO_HOME" : "KEY_MISSING", "error",
          empty ? "there is no selfstorage home at " + home.dir() : "the key file " + home.keyFile() + " is missing",
          empty ? "nothing is backed up from here" : "without it nothing stored can be read",
          empty ? "selfstorage --home " + home.dir() + " init   (or recover --recovery-code CODE --partner HOST:PORT)"
              : "restore it from a copy of the home, or: selfstorage recover --recovery-code CODE --partner HOST:PORT "
                  + "into a new --home"));
      return out;
    }
    try (var secret = Agent.readKeyFile(home)) {
      // readable: fine
    } catch (AgentException e) {
      out.add(new Finding(e.code(), "error", e.getMessage(), "without the key nothing stored can be read", e.fix()));
      return out;
    }
    if (!Files.exists(home.catalogFile())) {
      out.add(new Finding("CATALOG_MISSING", "error", "the catalog " + home.catalogFile() + " is missing",
          "no backup, restore or hosting works until it is rebuilt; the data is safe on the stores and partners",
          "selfstorage --home " + home.dir() + " recover --partner HOST:PORT   (or --store DIR; your recovery sheet "
              + "lists the partners; the code is not needed while the key is here)"));
      return out;
    }
    try (Agent agent = Agent.open(home, clock)) {
      String check = agent.catalog().integrityCheck();
      if (!check.equals("ok")) {
        out.add(new Finding("CATALOG_DAMAGED", "error", "the catalog fails its integrity check: " + check,
            "answers from it cannot be trusted", "move " + home.catalogFile() + " aside, then: selfstorage recover "
                + "--partner HOST:PORT"));
      }
      boolean needsAgent = !agent.catalog().partners().list().isEmpty()
          || agent.sources().stream().anyMatch(s -> s.schedule() != null);
      if (needsAgent && !agentRunning(home)) {
        out.add(new Finding("AGENT_NOT_RUNNING", "warning", "the agent of this home is not running",
            "partners cannot reach the shards they keep here, scheduled backups and self-healing do not run",
            "selfstorage --home " + home.dir() + " agent   (or enable docs/systemd/selfstorage-agent.service)"));
      }
      int pending = agent.catalog().packs().pendingDeletes().size();
      if (pending > 0) {
        out.add(new Finding("DELETIONS_PENDING", "info", pending + " shard files of pruned packs are still to be "
            + "deleted", "a store or partner was away during prune; they only take space", "selfstorage prune"));
      }
      out.addAll(agent.status().findings());
    } catch (AgentException e) {
      out.add(new Finding(e.code(), "error", e.getMessage(), "the home cannot be used until this is fixed", e.fix()));
    }
    return out;
  }

  /** Whether an agent holds this home's run lock (a lock we can take means none runs). */
  static boolean agentRunning(Home home) {
    if (!Files.exists(home.runDir().resolve("agent.lock"))) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(home.runDir().resolve("agent.lock"), StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock != null) {
        lock.release();
        return false;
      }
      return true;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      return true; // held in this very process: the agent runs here
    }
  }
}
