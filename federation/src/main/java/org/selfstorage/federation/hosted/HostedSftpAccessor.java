package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.selfstorage.federation.hosted.HostedLayout.Checked;
import org.selfstorage.federation.hosted.HostedLayout.Kind;

/**
 * The SFTP server's only way to the disk. Every path a partner names passes {@link
 * HostedLayout#check} (the layout grammar) and {@link HostedLayout#refuseLinks} (no planted symbolic
 * links); writes go only to {@code /incoming}, through a {@link QuotaChannel}; a rename only publishes
 * a temporary file under its own shard name; links, copies, locks and attribute changes are refused.
 */
public final class HostedSftpAccessor implements SftpFileSystemAccessor {

  private static Checked check(Path rooted) throws AccessDeniedException {
    return HostedLayout.check(rooted.toString());
  }

  @Override
  public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath) throws IOException {
    HostedSession hs = HostedSession.of(subsystem.getServerSession());
    Checked c = HostedLayout.check(remotePath);
    HostedLayout.refuseLinks(hs.hostRoot(), c.canonical());
    return rootDir.getFileSystem().getPath(c.canonical());
  }

  @Override
  public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
      Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    HostedSession hs = HostedSession.of(subsystem.getServerSession());
    Checked c = check(file);
    if (c.kind().isDirectory()) {
      throw new AccessDeniedException(c.canonical(), null, "a directory");
    }
    boolean writing = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    boolean creating = options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
    if ((writing || creating) && c.kind() != Kind.TEMP_FILE) {
      throw new AccessDeniedException(c.canonical(), null, "shards are written under /incoming and renamed into place");
    }
    if (writing || creating) {
      hs.checkMayChange(c.canonical());
    }
    Path host = hs.hostPath(c.canonical());
    HostedLayout.refuseLinks(hs.hostRoot(), c.canonical());
    Set<OpenOption> opts = new HashSet<>(options);
    opts.add(LinkOption.NOFOLLOW_LINKS);
    if (!writing) {
      opts.removeAll(List.of(StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING));
      return FileChannel.open(host, opts);
    }
    long before = 0;
    if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
      before = Files.size(host);
    }
    // pending before the disk changes: a recount of the usage waits until it is published or deleted
    boolean added = hs.addPending(host);
    FileChannel ch;
    try {
      ch = FileChannel.open(host, opts);
    } catch (IOException | RuntimeException e) {
      if (added) {
        hs.published(host);
      }
      throw e;
    }
    if (options.contains(StandardOpenOption.TRUNCATE_EXISTING) && before > 0) {
      hs.usage().release(before);
    }
    return new QuotaChannel(ch, hs, host);
  }

  @Override
  public FileLock tryLock(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
      Channel channel, long position, long size, boolean shared) {
    throw new UnsupportedOperationException("locks are not offered");
  }

  @Override
  public void syncFileData(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
      Channel channel) throws IOException {
    if (channel instanceof QuotaChannel q) {
      q.force();
    } else if (channel instanceof FileChannel f) {
      f.force(true);
    }
  }

  @Override
  public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
      Channel channel, Set<? extends OpenOption> options) throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
      String handle, LinkOption... linkOptions) throws IOException {
    Checked c = check(dir);
    if (!c.kind().isDirectory()) {
      throw new AccessDeniedException(c.canonical(), null, "not a directory");
    }
    HostedLayout.refuseLinks(HostedSession.of(subsystem.getServerSession()).hostRoot(), c.canonical());
    return SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
    HostedSession hs = HostedSession.of(subsystem.getServerSession());
    Checked c = check(path);
    if (!c.kind().isDirectory() || c.kind() == Kind.ROOT) {
      throw new AccessDeniedException(c.canonical(), null, "only the layout's directories can be created");
    }
    hs.checkMayChange(c.canonical());
    hs.createDirectory(hs.hostPath(c.canonical()));
  }

  @Override
  public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
    throw new AccessDeniedException(link.toString(), null, "links are not allowed");
  }

  @Override
  public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
    throw new AccessDeniedException(link.toString(), null, "links are not followed");
  }

  @Override
  public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
      throws IOException {
    HostedSession hs = HostedSession.of(subsystem.getServerSession());
    Checked from = check(oldPath);
    Checked to = check(newPath);
    if (from.kind() != Kind.TEMP_FILE || to.kind() != Kind.SHARD_FILE || !from.shardName().equals(to.shardName())) {
      throw new AccessDeniedException(from.canonical(), to.canonical(),
          "only /incoming/NAME.part-X may be renamed, and only to its own shard path");
    }
    hs.checkMayChange(to.canonical());
    hs.publish(hs.hostPath(from.canonical()), hs.hostPath(to.canonical()));
  }

  @Override
  public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts) throws IOException {
    throw new AccessDeniedException(src.toString(), dst.toString(), "copies are not offered");
  }

  @Override
  public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
    HostedSession hs = HostedSession.of(subsystem.getServerSession());
    Checked c = check(path);
    hs.checkMayChange(c.canonical());
    Path host = hs.hostPath(c.canonical());
    if (isDirectory) {
      if (c.kind() != Kind.FAN_DIR) {
        throw new AccessDeniedException(c.canonical(), null, "only fan directories can be removed");
      }
      Files.delete(host);
    } else {
      if (c.kind().isDirectory()) {
        throw new AccessDeniedException(c.canonical(), null, "a directory");
      }
      hs.deleteAndRelease(host);
    }
  }

  @Override
  public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
      LinkOption... options) throws IOException {
    throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
  }

  @Override
  public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
      throws IOException {
    throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
  }

  @Override
  public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
      throws IOException {
    throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
  }

  @Override
  public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> perms,
      LinkOption... options) throws IOException {
    throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
  }

  @Override
  public void setFileAccessControl(SftpSubsystemProxy subsystem, Path file, List<AclEntry> acl, LinkOption... options)
      throws IOException {
    throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
  }

  @Override
  public void applyExtensionFileAttributes(SftpSubsystemProxy subsystem, Path file, Map<String, byte[]> extensions,
      LinkOption... options) throws IOException {
    if (extensions != null && !extensions.isEmpty()) {
      throw new AccessDeniedException(file.toString(), null, "attributes cannot be changed");
    }
  }
}
