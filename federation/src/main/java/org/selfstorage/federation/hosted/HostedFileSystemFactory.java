package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.session.SessionContext;

/** Gives each partner's SFTP subsystem a file system rooted at its hosted directory. */
public final class HostedFileSystemFactory implements FileSystemFactory {
  @Override
  public Path getUserHomeDir(SessionContext session) throws IOException {
    return null; // the root of the rooted file system is the partner's home
  }

  @Override
  public FileSystem createFileSystem(SessionContext session) throws IOException {
    HostedSession hs = HostedSession.of(session);
    hs.prepareRoot();
    // one provider per file system: a provider refuses a second file system on the same root
    return new RootedFileSystemProvider().newFileSystem(hs.hostRoot(), Map.of());
  }
}
