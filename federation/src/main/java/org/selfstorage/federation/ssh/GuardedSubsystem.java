package org.selfstorage.federation.ssh;

import java.io.IOException;
import org.apache.sshd.client.channel.ChannelSubsystem;

/**
 * A subsystem channel that remembers whether the server refused the subsystem request (MINA just
 * closes the channel), so that a refusal is told apart from a lost connection.
 */
final class GuardedSubsystem extends ChannelSubsystem {
  private volatile boolean refused;

  GuardedSubsystem(String subsystem) {
    super(subsystem);
  }

  @Override
  public void handleFailure() throws IOException {
    refused = true;
    super.handleFailure();
  }

  /** Our channel stream: its packets come from the session's {@link PacketPool}. */
  @Override
  public java.io.OutputStream getInvertedIn() {
    return PacketPool.lentTo(getSession(), super.getInvertedIn());
  }

  boolean refused() {
    return refused;
  }

  /** The server refused to open a subsystem on a live, authenticated session. */
  static final class RefusedException extends IOException {
    RefusedException(String subsystem, Throwable cause) {
      super("the partner refused the " + subsystem + " subsystem", cause);
    }
  }
}
