package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.selfstorage.federation.ssh.UploadPacer;

/**
 * A temporary shard file open for writing over SFTP. Every write reserves its growth (end offset past
 * the bytes already counted) from the partner's quota first; a write that does not fit fails with
 * {@code SSH_FX_QUOTA_EXCEEDED}, and the file is then deleted when it is closed (or when the session
 * ends), so nothing partial is left. A clean close forces the data to disk before the client renames
 * the file into place.
 */
final class QuotaChannel implements SeekableByteChannel {
  private final FileChannel ch;
  private final HostedSession session;
  private final Path hostFile;
  private long accounted;
  private boolean refused;

  QuotaChannel(FileChannel ch, HostedSession session, Path hostFile) throws IOException {
    this.ch = ch;
    this.session = session;
    this.hostFile = hostFile;
    this.accounted = ch.size();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return ch.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    // on the SFTP subsystem's own thread: while it waits, the partner's next requests (and the
    // window they need) wait too
    UploadPacer.sleep(session.inboundWait(src.remaining()));
    reserveUpTo(ch.position() + src.remaining());
    return ch.write(src);
  }

  private void reserveUpTo(long end) throws IOException {
    if (refused) {
      throw quotaExceeded();
    }
    if (end > accounted) {
      if (!session.reserve(end - accounted)) {
        refused = true;
        throw quotaExceeded();
      }
      accounted = end;
    }
  }

  private SftpException quotaExceeded() {
    return new SftpException(SftpConstants.SSH_FX_QUOTA_EXCEEDED, "quota of " + session.quota()
        + " bytes for partner " + session.partner().name() + " exceeded (" + session.usage().used() + " used)");
  }

  @Override
  public long position() throws IOException {
    return ch.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ch.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return ch.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) throws IOException {
    ch.truncate(size);
    if (size < accounted) {
      session.usage().release(accounted - size);
      accounted = size;
    }
    return this;
  }

  void force() throws IOException {
    session.force(ch, hostFile);
  }

  @Override
  public boolean isOpen() {
    return ch.isOpen();
  }

  /** Closes; forces a complete file to disk, or deletes a refused one. */
  @Override
  public void close() throws IOException {
    if (!ch.isOpen()) {
      return;
    }
    if (refused) {
      ch.close();
      try {
        Files.deleteIfExists(hostFile);
        session.usage().release(accounted);
        accounted = 0;
      } finally {
        session.published(hostFile); // last: a recount of the usage waits while a write is pending
      }
      return;
    }
    try {
      session.force(ch, hostFile);
      long actual = ch.size();
      if (actual < accounted) {
        session.usage().release(accounted - actual);
        accounted = actual;
      }
    } finally {
      ch.close();
    }
  }
}
