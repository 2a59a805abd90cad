package org.selfstorage.federation;

import java.net.InetSocketAddress;

/** A running SSH server of this agent; see {@link Federation#startServer}. */
public interface AgentServer extends AutoCloseable {
  /** The TCP port it listens on (the real one when it was started on port 0). */
  int port();

  InetSocketAddress address();

  /**
   * Closes every live session of a partner, as after revoking its agreement (the lookup must already
   * refuse its key, or it may log in again).
   */
  void disconnect(HostedPartner partner);

  /**
   * Applies a partner's changed quota to its live sessions at once: uploads already accepted finish,
   * the next one is checked against the new quota (the lookup must already give it to new logins).
   */
  void quotaChanged(HostedPartner partner);

  /**
   * Lets each partner send us at most {@code bytesPerSecond} of shards from now on (0: no limit),
   * all its sessions and channels together. Uploads past it are slowed, never refused: the server
   * holds back the SSH window (shard channel) or the next request (SFTP), so the partner's side waits.
   */
  void limitInbound(long bytesPerSecond);

  /**
   * Closes the sessions of a partner whose machine declared an older epoch than {@code partner}'s
   * now: its home was recovered on another machine since, and the old one must not write another
   * shard. Its next login is fenced (it may read, not change); the new machine's sessions stay.
   */
  void epochRaised(HostedPartner partner);

  /**
   * Tells {@code listener} (from now on, replacing the one before) of each partner write refused for
   * its quota. Called on the server's threads: it must return quickly.
   */
  void whenRefused(java.util.function.Consumer<HostedRefusal> listener);

  /**
   * Measures again the hosted directories of partners that logged in since the server started,
   * skipping one while its partner has a shard being written, and makes each count follow its disk;
   * returns the counts that were wrong (files changed on the host by hand). Walks every hosted
   * file: the running agent calls it about once an hour, not on the server's threads.
   */
  java.util.List<UsageCorrection> recountUsage();

  /** Stops listening and closes every session. */
  @Override
  void close();
}
