package org.selfstorage.federation.ssh;

import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * The plumbing our subsystems share: incoming bytes arrive through {@link #data} on MINA's I/O
 * thread (no pipe and no extra thread per channel), replies go to {@link #out}, and {@link #exit}
 * ends the channel. Standard input and error are not used.
 */
public abstract class StreamChannelCommand implements Command, ChannelDataReceiver {
  protected volatile OutputStream out;
  protected volatile ExitCallback exit;

  private final ChannelSession channel;

  protected StreamChannelCommand(ChannelSession channel) {
    this.channel = channel;
    channel.setDataReceiver(this);
  }

  @Override
  public final void setInputStream(InputStream in) {
    // data arrives through data(...)
  }

  @Override
  public final void setOutputStream(OutputStream out) {
    this.out = PacketPool.lentTo(channel.getSession(), out);
  }

  @Override
  public final void setErrorStream(OutputStream err) {
    // not used
  }

  @Override
  public final void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }
}
