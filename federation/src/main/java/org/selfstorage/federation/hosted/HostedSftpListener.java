package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Second fence behind {@link HostedSftpAccessor}: vetoes link creation and attribute changes even if
 * a future MINA version reaches the disk by another route.
 */
public final class HostedSftpListener implements SftpEventListener {
  @Override
  public void linking(ServerSession session, Path source, Path target, boolean symLink) throws IOException {
    throw new AccessDeniedException(source.toString(), target.toString(), "links are not allowed");
  }

  @Override
  public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
    if (attrs == null || attrs.isEmpty()) {
      return; // MINA reports an empty change after mkdir
    }
    throw new AccessDeniedException(path.toString(), null, "attributes cannot be changed");
  }
}
