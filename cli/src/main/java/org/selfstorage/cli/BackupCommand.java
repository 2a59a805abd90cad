package org.selfstorage.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.selfstorage.agent.BackupPreview;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a source now.",
        "Unchanged files (same size, mtime, ctime, inode) are not read again; new chunks are compressed, encrypted,",
        "packed and spread over the stores. Exit code 3 when some files could not be stored consistently."})
final class BackupCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SOURCE", description = "Name of the source (see: selfstorage source list).")
  String source;

  @Option(names = "--time", paramLabel = "ISO-8601",
      description = "Record the snapshot at this time instead of now, e.g. 2026-01-31T02:00:00Z (for imports and tests).")
  String time;

  @Option(names = "--tag", paramLabel = "TAG",
      description = "Tag the snapshot (repeatable), e.g. before-upgrade; see: selfstorage policy set --keep-tag.")
  java.util.List<String> tags = new java.util.ArrayList<>();

  @Option(names = "--dry-run", description = "Show what the backup would read, skip and leave out, comparing with the "
      + "last snapshot as a backup does, but read no file and store nothing (to try exclude patterns).")
  boolean dryRun;

  @Option(names = "--list", description = "With --dry-run: name each new, changed and left-out entry as well.")
  boolean list;

  @CommandLine.Mixin JsonOption json;

  @CommandLine.Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    Instant at = null;
    if (time != null) {
      try {
        at = OffsetDateTime.parse(time).toInstant();
      } catch (DateTimeParseException e) {
        throw new UsageException("TIME_INVALID", "'" + time + "' is not an ISO-8601 time with offset",
            "selfstorage backup " + source + " --time 2026-01-31T02:00:00Z");
      }
    }
    if (list && !dryRun) {
      throw new UsageException("LIST_NEEDS_DRY_RUN", "--list names what a dry run finds; a backup's summary says what "
          + "it stored", "selfstorage backup " + source + " --dry-run --list");
    }
    if (dryRun) {
      return preview();
    }
    Instant when = at;
    BackupResult r = progress.run(json, (agent, l) -> agent.backup(source, when, tags, l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, r);
    } else {
      for (String w : r.warnings()) {
        SelfstorageCommand.of(spec).console().err().println("warning: " + Terminal.escape(w));
      }
      out.printf("snapshot %s of %s saved%n", r.snapshotId().substring(0, 8), r.source());
      out.printf("  %d files, %d directories, %s%n", r.files(), r.dirs(), Terminal.size(r.bytes()));
      out.printf("  read %d files (%s); the rest were unchanged%n", r.filesRead(), Terminal.size(r.bytesRead()));
      out.printf("  %d new chunks, %s after compression; %s written to stores as %d+%d shards%n", r.newBlobs(),
          Terminal.size(r.addedBytes()), Terminal.size(r.storedBytes()), r.dataShards(), r.parityShards());
      out.printf("  took %s%n", Terminal.duration(r.elapsed()));
      if (!r.complete()) {
        out.printf("INCOMPLETE: %d files could not be stored consistently:%n", r.incomplete().size());
        r.incomplete().stream().limit(50).forEach(s -> out.println("  " + Terminal.escape(s)));
        if (r.incomplete().size() > 50) {
          out.println("  ... and " + (r.incomplete().size() - 50) + " more");
        }
        out.println("Next: fix the causes above (permissions, files being written), then: selfstorage backup " + source);
      }
    }
    return r.complete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
  }

  private int preview() throws Exception {
    BackupPreview p = progress.run(json, (agent, l) -> agent.previewBackup(source, list, l));
    var out = SelfstorageCommand.of(spec).console().out();
    if (json.enabled) {
      Json.print(out, p);
      return ExitCodes.OK;
    }
    for (String w : p.warnings()) {
      SelfstorageCommand.of(spec).console().err().println("warning: " + Terminal.escape(w));
    }
    for (BackupPreview.Entry e : p.entries()) {
      out.printf("%-10s %s%s%n", e.change(), Terminal.escape(e.path()),
          e.size() > 0 ? " (" + Terminal.size(e.size()) + ")" : "");
    }
    if (p.entriesLeftOff() > 0) {
      out.printf("... and %d more entries%n", p.entriesLeftOff());
    }
    out.printf("dry run of %s (%s): no file was read, nothing was stored%n", p.source(), Terminal.escape(p.path()));
    out.printf("  the snapshot would hold %d files, %d directories, %s%n", p.files(), p.dirs(), Terminal.size(p.bytes()));
    out.printf("  new:       %d files, %s%n", p.newFiles(), Terminal.size(p.newBytes()));
    out.printf("  changed:   %d files, %s%n", p.changedFiles(), Terminal.size(p.changedBytes()));
    out.printf("  unchanged: %d files (not read again)%n", p.unchangedFiles());
    out.printf("  to read:   %s%n", Terminal.size(p.bytesToRead()));
    out.printf("  left out:  %d by the source's patterns, %d directories recorded empty (other file systems, caches), "
        + "%d files over the size limit%n", p.excluded(), p.emptiedDirs(), p.tooLarge());
    if (!p.unreadable().isEmpty()) {
      out.printf("  cannot be examined (the backup would be incomplete): %d%n", p.unreadable().size());
      p.unreadable().stream().limit(50).forEach(u -> out.println("    " + Terminal.escape(u)));
      if (p.unreadable().size() > 50) {
        out.println("    ... and " + (p.unreadable().size() - 50) + " more");
      }
    }
    if (!list && (p.newFiles() + p.changedFiles() + p.excluded() + p.emptiedDirs() + p.tooLarge()) > 0) {
      out.println("Next: selfstorage backup " + source + " --dry-run --list   (to see each entry), or: selfstorage "
          + "backup " + source);
    }
    return ExitCodes.OK;
  }
}
