package org.selfstorage.federation.hosted;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.SessionContext;
import org.selfstorage.federation.Durability;
import org.selfstorage.federation.HostedPartner;
import org.selfstorage.federation.HostedRefusal;
import org.selfstorage.federation.ssh.UploadPacer;

/**
 * What one authenticated SSH session of a partner may touch: its hosted directory, its quota and
 * usage counter, and the temporary files it created and has not yet published. Temporary files still
 * pending when the session ends are deleted, so a dropped connection leaves nothing partial behind.
 */
public final class HostedSession {
  public static final AttributeKey<HostedSession> KEY = new AttributeKey<>();

  private final HostedPartner partner;
  private final HostedUsage.Counter usage;
  private final Set<Path> pending = ConcurrentHashMap.newKeySet();

  private final boolean fenced;
  private final Durability durability;
  private final java.util.function.Consumer<HostedRefusal> refusals;
  private final UploadPacer inbound;
  /** The partner's quota: the agreement's at login, changed in place when the owner of this host changes it. */
  private volatile long quota;

  /**
   * {@code fenced}: the session declared an epoch older than the partner's; it may only read.
   * {@code durability}: how its shards are forced to disk. {@code refusals}: told of each write
   * refused for the quota. {@code inbound}: the pace of this partner's uploads, shared by its sessions.
   */
  public HostedSession(HostedPartner partner, HostedUsage.Counter usage, boolean fenced, Durability durability,
      java.util.function.Consumer<HostedRefusal> refusals, UploadPacer inbound) {
    this.partner = partner;
    this.inbound = inbound;
    this.refusals = refusals;
    this.usage = usage;
    this.fenced = fenced;
    this.durability = durability;
    this.quota = partner.quotaBytes();
  }

  /** Creates one directory of the layout, durably. */
  void createDirectory(Path hostDir) throws IOException {
    Files.createDirectory(hostDir);
    durability.forceDirectory(hostDir.getParent());
  }

  /** Forces a shard file's bytes before it is published or acknowledged. */
  void force(FileChannel ch, Path hostFile) throws IOException {
    durability.forceFile(ch, hostFile);
  }

  /** Reserves {@code bytes} of the quota for a write; false (told to the agent) when they do not fit. */
  boolean reserve(long bytes) {
    if (usage.tryReserve(bytes, quota)) {
      return true;
    }
    try {
      refusals.accept(new HostedRefusal.Quota(partner.name(), bytes, quota, usage.used()));
    } catch (RuntimeException e) {
      // the refusal stands whatever the listener does
    }
    return false;
  }

  /** Tells the agent of a request refused as outside what any partner may do (see HostedRefusal.Access). */
  public void refusedAccess(String what) {
    try {
      refusals.accept(new HostedRefusal.Access(partner.name(), HostedLayout.printable(what)));
    } catch (RuntimeException e) {
      // the refusal stands whatever the listener does
    }
  }

  /** Refuses a change from a fenced session, naming why. */
  public void checkMayChange(String what) throws AccessDeniedException {
    if (fenced) {
      throw new AccessDeniedException(what, null, "FENCED: this agent was recovered on another machine since; "
          + "this machine may read but not change anything");
    }
  }

  public boolean fenced() {
    return fenced;
  }

  /** The session's hosted state; refuses sessions that have not logged in as a partner. */
  public static HostedSession of(SessionContext session) throws AccessDeniedException {
    HostedSession s = session == null ? null : session.getAttribute(KEY);
    if (s == null) {
      throw new AccessDeniedException("/", null, "not logged in as a partner");
    }
    return s;
  }

  public HostedPartner partner() {
    return partner;
  }

  /**
   * Schedules {@code bytes} this partner sent us within {@code hosting.max-rate} and returns how many
   * nanoseconds to hold them back (0: take them now). It keeps to the rate it is told at hello, so
   * an honest partner never waits here: this slows one that does not.
   */
  long inboundWait(int bytes) {
    return inbound.reserve(bytes);
  }

  public HostedUsage.Counter usage() {
    return usage;
  }

  public long quota() {
    return quota;
  }

  /** Applies a changed quota to this live session: the next write is checked against it. */
  public void changeQuota(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative quota: " + bytes);
    }
    quota = bytes;
  }

  public Path hostRoot() {
    return partner.root();
  }

  /** The host path of a canonical layout path ({@link HostedLayout.Checked#canonical()}). */
  public Path hostPath(String canonical) {
    return canonical.equals("/") ? hostRoot() : hostRoot().resolve(canonical.substring(1));
  }

  /** Creates the partner's directory and its two top directories if missing. */
  public void prepareRoot() throws IOException {
    durability.createDirectories(hostRoot().resolve(HostedLayout.SHARDS));
    durability.createDirectories(hostRoot().resolve(HostedLayout.INCOMING));
  }

  /** Counts a temporary file as being written until it is published or deleted; false if it was already. */
  boolean addPending(Path hostTemp) {
    if (pending.add(hostTemp)) {
      usage.writeStarted();
      return true;
    }
    return false;
  }

  void published(Path hostTemp) {
    if (pending.remove(hostTemp)) {
      usage.writeEnded();
    }
  }

  /** Deletes a file (not following links) and gives its bytes back to the quota. */
  void deleteAndRelease(Path hostFile) throws IOException {
    try {
      synchronized (usage) { // the disk and the count change together for a recount (see HostedUsage)
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(hostFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return;
        }
        Files.delete(hostFile);
        if (a.isRegularFile()) {
          usage.release(a.size());
        }
      }
    } finally {
      published(hostFile);
    }
  }

  /** Deletes the temporary files this session left unpublished. */
  public void discardPending() {
    for (Path p : Set.copyOf(pending)) {
      try {
        deleteAndRelease(p);
      } catch (IOException ignored) {
        // the next login measures the directory again only on restart; a stray temp costs quota only
      }
    }
  }

  /**
   * Moves a complete temporary file to its shard name atomically, replacing an older copy, and makes
   * the rename durable (the file itself was forced when it was closed).
   */
  void publish(Path hostTemp, Path hostShard) throws IOException {
    durability.createDirectories(hostShard.getParent());
    long replaced = 0;
    synchronized (usage) {
      try {
        BasicFileAttributes old = Files.readAttributes(hostShard, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!old.isRegularFile()) {
          throw new AccessDeniedException(hostShard.toString(), null, "not a regular file on the host");
        }
        replaced = old.size();
      } catch (NoSuchFileException e) {
        replaced = 0;
      }
      durability.move(hostTemp, hostShard);
      usage.release(replaced);
    }
    published(hostTemp);
    durability.forceDirectory(hostShard.getParent());
  }
}
