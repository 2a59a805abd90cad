package org.selfstorage.federation.hosted;

import java.nio.file.AccessDeniedException;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * Sees every error status the SFTP subsystem sends, and tells the agent of each request refused as
 * outside the hosted layout ({@link HostedSftpAccessor} refuses those with an {@link
 * AccessDeniedException}). A fenced session's refused change is not one: an honest old machine
 * makes it. The status sent is MINA's as before.
 */
public final class HostedSftpErrors implements SftpErrorStatusDataHandler {
  @Override
  public int resolveSubStatus(SftpSubsystemEnvironment sftp, int id, Throwable e, int cmd, Object... args) {
    if (e instanceof AccessDeniedException denied && !String.valueOf(denied.getReason()).startsWith("FENCED")) {
      HostedSession hs = sftp.getServerSession().getAttribute(HostedSession.KEY);
      if (hs != null) {
        hs.refusedAccess("sftp: " + denied.getMessage());
      }
    }
    return SftpErrorStatusDataHandler.super.resolveSubStatus(sftp, id, e, cmd, args);
  }
}
