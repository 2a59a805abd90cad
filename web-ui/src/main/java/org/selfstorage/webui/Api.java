package org.selfstorage.webui;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.Amounts;
import org.selfstorage.agent.EntryInfo;
import org.selfstorage.agent.InvitationInfo;
import org.selfstorage.agent.SnapshotInfo;
import org.selfstorage.agent.SourceInfo;
import org.selfstorage.agent.UsageException;

/**
 * The JSON API under {@code /api/} (docs/api.md): the same use cases as the CLI, reached only
 * after {@link Guard} let the request in. Reads go through {@link AgentCalls} (with a deadline),
 * the status through {@link StatusCache}, backups through {@link BackupJobs}.
 */
final class Api {
  private static final int MAX_EVENTS = 500;
  /** Entries of one directory per answer: a page of a directory of 100,000 files, not all of it. */
  static final int MAX_TREE_ENTRIES = 500;

  /** What to answer: a status code, a body to serialise, and where a created thing can be polled. */
  record Reply(int status, Object body, String location) {
    static Reply ok(Object body) {
      return new Reply(200, body, null);
    }
  }

  /** A file of a snapshot to send as it is, not as JSON: the snapshot's full id, the entry, what writes its bytes. */
  record Download(String snapshot, EntryInfo entry, Body body) {
    interface Body {
      void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }
  }

  private final AgentCalls calls;
  private final StatusCache status;
  private final BackupJobs backups;

  Api(AgentCalls calls, StatusCache status, BackupJobs backups) {
    this.calls = calls;
    this.status = status;
    this.backups = backups;
  }

  /** @param path the decoded segments after {@code /api/} */
  Reply handle(String method, List<String> path, Map<String, String> query, JsonNode body) {
    String first = path.isEmpty() ? "" : path.get(0);
    int n = path.size();
    if (method.equals("GET")) {
      switch (first) {
        case "status":
          if (n == 1) {
            return Reply.ok(status.get());
          }
          break;
        case "partners":
          if (n == 1) {
            return Reply.ok(calls.call(a -> a.mesh().partners(false)));
          }
          break;
        case "sources":
          if (n == 1) {
            return Reply.ok(calls.call(this::sources));
          }
          break;
        case "snapshots":
          if (n == 1) {
            String source = query.get("source");
            return Reply.ok(calls.call(a -> newestFirst(a.snapshots(source == null || source.isEmpty() ? null : source))));
          }
          if (n == 2) {
            return Reply.ok(calls.call(a -> a.snapshot(path.get(1))));
          }
          if (n == 3 && path.get(2).equals("file")) {
            return Reply.ok(calls.call(a -> download(a, path.get(1), query.getOrDefault("path", ""))));
          }
          if (n == 3 && path.get(2).equals("tree")) {
            String dir = query.getOrDefault("path", "");
            long offset = number(query.get("offset"), 0, "offset");
            int limit = (int) Math.min(MAX_TREE_ENTRIES, number(query.get("limit"), MAX_TREE_ENTRIES, "limit"));
            if (limit == 0) {
              throw new UsageException("BAD_REQUEST", "limit must be at least 1", null);
            }
            return Reply.ok(calls.call(a -> {
              List<?> all = a.children(path.get(1), dir);
              List<?> page = all.subList((int) Math.min(offset, all.size()), (int) Math.min(offset + limit, all.size()));
              return Map.of("snapshot", a.snapshot(path.get(1)), "path", dir, "offset", offset, "total", all.size(),
                  "entries", page);
            }));
          }
          break;
        case "stats":
          if (n == 1) {
            return Reply.ok(calls.call(Agent::stats));
          }
          break;
        case "events":
          if (n == 1) {
            long after = number(query.get("after"), 0, "after");
            int limit = (int) Math.min(MAX_EVENTS, number(query.get("limit"), 100, "limit"));
            return Reply.ok(calls.call(a -> a.events(after, limit)));
          }
          break;
        case "jobs":
          if (n == 1) {
            return Reply.ok(backups.list());
          }
          if (n == 2) {
            long id = number(path.get(1), -1, "job id");
            return Reply.ok(backups.get(id).orElseThrow(() -> new UsageException("JOB_UNKNOWN",
                "there is no job " + path.get(1), "GET /api/jobs")));
          }
          break;
        default:
          break;
      }
    } else if (method.equals("POST")) {
      if (n == 3 && first.equals("sources") && path.get(2).equals("backup")) {
        String source = path.get(1);
        calls.call(a -> a.sources().stream().filter(s -> s.name().equals(source)).findFirst()
            .orElseThrow(() -> new UsageException("SOURCE_UNKNOWN", "there is no source called '" + source + "'",
                "selfstorage source list")));
        BackupJobs.Job job = backups.start(source);
        return new Reply(202, job, "/api/jobs/" + job.id());
      }
      if (n == 1 && first.equals("invitations")) {
        long quota = bytes(body.path("quota").asText(""));
        Duration expires = period(body.path("expires").asText("24h"));
        InvitationInfo i = calls.call(a -> a.mesh().invite(quota, expires));
        return new Reply(201, i, null);
      }
    }
    throw new UsageException("NOT_FOUND", "no " + method + " /api/" + String.join("/", path) + " here", "see docs/api.md");
  }

  /**
   * Checks that the file is there (so a wrong path is an error, not a broken download), pinning
   * the snapshot by its full id so that "latest" cannot move between the check and the bytes.
   */
  private Download download(Agent agent, String ref, String file) {
    String id = agent.snapshot(ref).id();
    EntryInfo e = agent.entry(id, file);
    if (!e.type().equals("file")) {
      throw new UsageException("NOT_A_FILE", "'" + e.path() + "' is a " + e.type() + ", not a file: files are "
          + "downloaded one at a time", "selfstorage restore " + id.substring(0, 8) + " --target DIR --include "
          + e.path());
    }
    return new Download(id, e, out -> calls.reader().dump(id, file, out));
  }

  private List<Map<String, Object>> sources(Agent agent) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SourceInfo s : agent.sources()) {
      List<SnapshotInfo> snaps = agent.snapshots(s.name());
      SnapshotInfo last = snaps.isEmpty() ? null : snaps.get(snaps.size() - 1);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", s.name());
      row.put("path", s.path());
      row.put("addedAt", s.addedAt());
      row.put("schedule", s.schedule());
      row.put("leavesOut", s.leavesOut());
      row.put("nextRun", agent.nextScheduledRun(s));
      row.put("snapshots", snaps.size());
      row.put("lastBackup", last == null ? null : last.time());
      row.put("lastSnapshot", last == null ? null : last.shortId());
      row.put("job", backups.latest(s.name()).orElse(null));
      out.add(row);
    }
    return out;
  }

  private static <T> List<T> newestFirst(List<T> list) {
    List<T> out = new ArrayList<>(list);
    java.util.Collections.reverse(out);
    return out;
  }

  private static long number(String s, long fallback, String what) {
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("BAD_REQUEST", what + " must be a whole number, not '" + s + "'", null);
    }
  }

  /** A quota as the CLI takes it: {@code 500G}, {@code 1.5T}, {@code 800M}, or bytes. */
  static long bytes(String s) {
    try {
      return Amounts.bytes(s);
    } catch (IllegalArgumentException e) {
      throw new UsageException("QUOTA_INVALID", e.getMessage(), null);
    }
  }

  /** A lifetime as the CLI takes it: {@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}. */
  static Duration period(String s) {
    try {
      return Amounts.period(s);
    } catch (IllegalArgumentException e) {
      throw new UsageException("EXPIRY_INVALID", e.getMessage(), null);
    }
  }
}
