package org.selfstorage.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.selfstorage.agent.BackupPreview;
import org.selfstorage.agent.Progress;
import org.selfstorage.agent.tree.NativeNames;
import org.selfstorage.agent.tree.Node;
import org.selfstorage.agent.tree.NodeType;
import org.selfstorage.agent.tree.Tree;
import org.selfstorage.catalog.BlobId;
import org.selfstorage.catalog.Source;

/**
 * A backup's dry run: walks a source as {@link Archiver} does, with the same {@link Selection} and
 * the same comparison with the last snapshot (size, mtime, ctime, inode), and counts what the
 * backup would read, skip and leave out. It opens no file and stores nothing.
 */
public final class Preview {
  private final Source source;
  private final Selection selection;
  private final boolean list;
  private final Progress.Listener listener;
  private final List<String> warnings = new ArrayList<>();

  /** Refuses a source whose top is not a directory, as a backup would ({@code SOURCE_MISSING}). */
  public Preview(Source source, boolean list, Progress.Listener listener) {
    this.source = source;
    this.selection = Selection.of(source, warnings);
    this.list = list;
    this.listener = listener;
  }

  /**
   * {@code previous}: the root tree of the source's last snapshot, or null; {@code trees} loads its
   * subtrees. Each run starts from nothing (a caller may run it again with other stores open).
   */
  public BackupPreview run(Tree previous, Function<BlobId, Tree> trees) {
    return new Walk(trees).run(previous);
  }

  /** One run's counts. */
  private final class Walk {
    private final Function<BlobId, Tree> trees;
    private final List<String> unreadable = new ArrayList<>();
    private final List<BackupPreview.Entry> entries = new ArrayList<>();
    private final Set<String> hardLinks = new HashSet<>();
    private long entriesLeftOff;
    private long files;
    private long dirs;
    private long bytes;
    private long newFiles;
    private long newBytes;
    private long changedFiles;
    private long changedBytes;
    private long unchangedFiles;
    private long bytesToRead;
    private long excluded;
    private long emptiedDirs;
    private long tooLarge;
    private long lastReport;

    Walk(Function<BlobId, Tree> trees) {
      this.trees = trees;
    }

    BackupPreview run(Tree previous) {
      walk(selection.root(), "", previous);
      dirs++;
      listener.onProgress(new Progress("dry run", files, bytes, -1, 0, ""));
      return new BackupPreview(source.name(), source.path(), files, dirs, bytes, newFiles, newBytes, changedFiles,
          changedBytes, unchangedFiles, bytesToRead, excluded, emptiedDirs, tooLarge, List.copyOf(unreadable),
          List.copyOf(warnings), List.copyOf(entries), entriesLeftOff);
    }

    private void walk(Path dir, String rel, Tree previous) {
      Selection.Listing children;
      try {
        children = selection.list(dir, p -> {
          excluded++;
          listed("excluded", Archiver.child(rel, NativeNames.nameOf(p))
              + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""), 0);
        });
      } catch (IOException e) {
        unreadable.add(Archiver.display(rel) + ": directory cannot be listed (" + Archiver.reason(e) + ")");
        return;
      }
      for (int i = 0; i < children.paths().size(); i++) {
        Path path = children.paths().get(i);
        byte[] name = children.names().get(i);
        String childRel = Archiver.child(rel, name);
        Node node;
        try {
          node = FileScanner.scan(path, name);
        } catch (NoSuchFileException e) {
          continue;
        } catch (IOException e) {
          unreadable.add(Archiver.display(childRel) + ": cannot be examined (" + Archiver.reason(e) + ")");
          continue;
        }
        Node before = previous == null ? null : previous.find(name);
        if (node.type() == NodeType.DIR) {
          dirs++;
          Selection.Emptied emptied = selection.emptied(node, path);
          if (emptied != null) {
            emptiedDirs++;
            listed(emptied.change, childRel + "/", 0);
          } else {
            Tree prevSub = before != null && before.isDirectoryWithTree()
                ? trees.apply(before.subtree()) : null;
            walk(path, childRel, prevSub);
          }
        } else if (node.type() == NodeType.FILE) {
          if (selection.tooLarge(node)) {
            tooLarge++;
            listed("too-large", childRel, node.size());
            continue;
          }
          file(node, before, childRel);
        }
        report(childRel);
      }
    }

    private void file(Node node, Node before, String rel) {
      files++;
      bytes += node.size();
      if (node.sameFileAs(before)) {
        unchangedFiles++;
        return;
      }
      boolean isNew = before == null || before.type() != NodeType.FILE;
      if (isNew) {
        newFiles++;
        newBytes += node.size();
      } else {
        changedFiles++;
        changedBytes += node.size();
      }
      // a backup reads a hard-linked file once and gives its other names the same content
      if (!node.isHardLinked() || hardLinks.add(node.device() + ":" + node.inode())) {
        bytesToRead += node.size();
      }
      listed(isNew ? "new" : "changed", rel, node.size());
    }

    private void listed(String change, String path, long size) {
      if (!list) {
        return;
      }
      if (entries.size() < BackupPreview.MAX_ENTRIES) {
        entries.add(new BackupPreview.Entry(change, path, size));
      } else {
        entriesLeftOff++;
      }
    }

    private void report(String detail) {
      long now = System.nanoTime();
      if (now - lastReport > 200_000_000L) {
        lastReport = now;
        listener.onProgress(new Progress("dry run", files, bytes, -1, 0, detail));
      }
    }
  }
}
