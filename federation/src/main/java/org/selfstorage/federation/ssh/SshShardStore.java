package org.selfstorage.federation.ssh;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.client.channel.ChannelSubsystem;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.selfstorage.federation.ClientSettings;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.QuotaExceededException;
import org.selfstorage.federation.ShardBytes;
import org.selfstorage.federation.ShardName;
import org.selfstorage.federation.ShardNotFoundException;
import org.selfstorage.federation.ShardStat;
import org.selfstorage.federation.ShardStore;
import org.selfstorage.federation.StoreFullException;
import org.selfstorage.federation.StoreIoException;
import org.selfstorage.federation.hosted.HostedLayout;
import org.selfstorage.federation.hosted.ShardChannelProtocol;

/**
 * A partner's hosted directory as a {@link ShardStore}. Shard bytes travel on the shard channel (or,
 * if configured, SFTP to a temporary name then a rename); stat, list and delete use SFTP. Every
 * operation runs under a {@link Watchdog} deadline. The session belongs to the partner's link and is
 * shared with every other store object for the same partner; {@link #close()} leaves it open.
 */
final class SshShardStore implements ShardStore {
  private static final int SLICE = 1 << 20;
  /** Under an upload limit: small enough that the pieces go out smoothly, not in bursts of a MiB. */
  private static final int PACED_SLICE = 64 << 10;
  private static final long PACING_STEP = 100_000_000L;
  /** SFTP read request size: MINA's server answers at most 63 KiB per read, and a shorter answer than asked stalls its read-ahead. */
  private static final int SFTP_READ_SIZE = Integer.getInteger("selfstorage.sftpReadSize", 63 * 1024);

  private final PartnerLink link;
  private final Watchdog watchdog;
  private final ClientSettings settings;
  /** All our uploads together ({@code upload.max-rate}). */
  private final UploadPacer pacer;
  /** Ours to this partner (the rate it takes from us). */
  private final UploadPacer partnerPacer;

  SshShardStore(PartnerLink link, Watchdog watchdog, ClientSettings settings, UploadPacer pacer,
      UploadPacer partnerPacer) {
    this.pacer = pacer;
    this.partnerPacer = partnerPacer;
    this.link = link;
    this.watchdog = watchdog;
    this.settings = settings;
  }

  @Override
  public String describe() {
    return "partner:" + link.partner + "@" + link.address;
  }

  @Override
  public void put(ShardName name, byte[] data) {
    put(name, new byte[0], data);
  }

  @Override
  public void put(ShardName name, byte[] header, byte[] body, int bodyOffset, int bodyLength) {
    java.util.Objects.checkFromIndexSize(bodyOffset, bodyLength, body.length);
    long total = (long) header.length + bodyLength;
    if (total > ShardChannelProtocol.MAX_SHARD_BYTES) {
      throw new StoreIoException("shard " + name + " is " + total + " bytes, above the limit of "
          + ShardChannelProtocol.MAX_SHARD_BYTES, null);
    }
    String what = "storing shard " + name + " on partner " + link.partner;
    try (Watchdog.Op op = watchdog.begin(what, total)) {
      try {
        if (settings.dataPath() == ClientSettings.DataPath.SHARD_CHANNEL) {
          putOnChannel(op, name, header, body, bodyOffset, bodyLength);
        } else {
          putOverSftp(op, name, header, body, bodyOffset, bodyLength);
        }
      } catch (IOException e) {
        throw failure(op, e, what, name);
      }
    }
  }

  private void putOnChannel(Watchdog.Op op, ShardName name, byte[] header, byte[] body, int bodyOffset,
      int bodyLength) throws IOException {
    ClientSession s = link.session(op);
    link.acquireChannel(op);
    GuardedSubsystem ch = openChannel(s);
    boolean done = false;
    try {
      ReplySink sink = new ReplySink(op, false, 0);
      ch.setOut(sink);
      ch.setErr(OutputStream.nullOutputStream());
      Watchdog.open(ch, watchdog.stall());
      OutputStream out = ch.getInvertedIn();
      out.write(request(ShardChannelProtocol.OP_PUT, name, (long) header.length + bodyLength));
      out.flush();
      check(sink.nextReply(ch), name);
      if (header.length + bodyLength > 0) { // an empty shard is complete at once, and its channel closed
        writeSlices(out, header, 0, header.length, op);
        writeSlices(out, body, bodyOffset, bodyLength, op);
        out.flush();
      }
      check(sink.nextReply(ch), name);
      done = true;
    } catch (IOException e) {
      throw refusedOr(ch, e);
    } finally {
      release(ch, done);
    }
  }

  private static GuardedSubsystem openChannel(ClientSession s) throws IOException {
    GuardedSubsystem ch = new GuardedSubsystem(ShardChannelProtocol.SUBSYSTEM);
    s.getService(org.apache.sshd.common.session.ConnectionService.class).registerChannel(ch);
    return ch;
  }

  /** A failure on a channel the server refused to open is the refusal, whatever broke first. */
  static IOException refusedOr(GuardedSubsystem ch, IOException e) {
    if (ch.refused() && !(e instanceof GuardedSubsystem.RefusedException) && !(e instanceof Watchdog.DeadlineException)) {
      return new GuardedSubsystem.RefusedException(ch.getSubsystem(), e);
    }
    return e;
  }

  /**
   * Waits, briefly, for the server to close a finished channel (it does after its last reply), so
   * the session never holds more open channels than the server allows; then releases the slot.
   */
  private void release(ChannelSubsystem ch, boolean finished) {
    try {
      if (finished) {
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), watchdog.stall());
      }
      ch.close(!finished);
    } finally {
      link.releaseChannel();
    }
  }

  private void putOverSftp(Watchdog.Op op, ShardName name, byte[] header, byte[] body, int bodyOffset,
      int bodyLength) throws IOException {
    SftpClient sftp = link.sftp(op);
    String tmp = HostedLayout.tempPath(name, ThreadLocalRandom.current().nextLong());
    boolean published = false;
    try {
      try (OutputStream o = sftp.write(tmp, settings.packetBytes() - 1024, OpenMode.Write, OpenMode.Create, OpenMode.Exclusive)) {
        writeSlices(o, header, 0, header.length, op);
        writeSlices(o, body, bodyOffset, bodyLength, op);
      }
      op.progress();
      sftp.rename(tmp, HostedLayout.shardPath(name));
      published = true;
    } finally {
      if (!published && !op.expired()) {
        try {
          sftp.remove(tmp);
        } catch (IOException ignored) {
          // the server deletes unpublished temporary files when the session ends
        }
      }
    }
  }

  private static byte[] request(int op, ShardName name, long length) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64);
    DataOutputStream d = new DataOutputStream(b);
    byte[] n = name.value().getBytes(StandardCharsets.US_ASCII);
    d.writeByte(ShardChannelProtocol.VERSION);
    d.writeByte(op);
    d.writeShort(n.length);
    d.write(n);
    if (op == ShardChannelProtocol.OP_PUT) {
      d.writeLong(length);
    }
    return b.toByteArray();
  }

  private void writeSlices(OutputStream out, byte[] b, int offset, int length, Watchdog.Op op)
      throws IOException {
    int slice = pacer.limited() || partnerPacer.limited() ? PACED_SLICE : SLICE;
    for (int off = offset, end = offset + length; off < end; off += slice) {
      op.check();
      int n = Math.min(slice, end - off);
      // waited in steps, each excused: a long wait for our own limit must not look like a stalled partner
      for (long wait = UploadPacer.reserve(n, pacer, partnerPacer); wait > 0; wait -= PACING_STEP) {
        long step = Math.min(wait, PACING_STEP);
        UploadPacer.sleep(step);
        op.excuse(step);
        op.check();
      }
      out.write(b, off, n);
      op.progress();
    }
  }

  /** A reply the partner gave on the shard channel, other than OK. */
  static final class RefusedException extends IOException {
    final int status;

    RefusedException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static void check(ReplySink.Reply r, ShardName name) throws RefusedException {
    if (r.status() != ShardChannelProtocol.OK) {
      throw new RefusedException(r.status(), r.message().isEmpty() ? "refused (status " + r.status() + ")" : r.message());
    }
  }

  @Override
  public byte[] get(ShardName name) {
    return get(name, byte[]::new).exact();
  }

  @Override
  public ShardBytes get(ShardName name, java.util.function.IntFunction<byte[]> buffers) {
    String what = "reading shard " + name + " from partner " + link.partner;
    try (Watchdog.Op op = watchdog.begin(what, 0)) {
      try {
        if (settings.dataPath() == ClientSettings.DataPath.SHARD_CHANNEL) {
          return getFromChannel(op, name, buffers);
        }
        return getOverSftp(op, name, buffers);
      } catch (IOException e) {
        throw failure(op, e, what, name);
      }
    }
  }

  private ShardBytes getFromChannel(Watchdog.Op op, ShardName name, java.util.function.IntFunction<byte[]> buffers)
      throws IOException {
    ClientSession s = link.session(op);
    link.acquireChannel(op);
    GuardedSubsystem ch = openChannel(s);
    boolean done = false;
    try {
      ReplySink sink = new ReplySink(op, true, ShardChannelProtocol.MAX_SHARD_BYTES, buffers);
      ch.setOut(sink);
      ch.setErr(OutputStream.nullOutputStream());
      Watchdog.open(ch, watchdog.stall());
      OutputStream out = ch.getInvertedIn();
      out.write(request(ShardChannelProtocol.OP_GET, name, 0));
      out.flush();
      ReplySink.Reply r = sink.nextReply(ch);
      done = r.status() != ShardChannelProtocol.OK;
      check(r, name);
      ShardBytes data = sink.awaitData(ch);
      done = true;
      return data;
    } catch (IOException e) {
      throw refusedOr(ch, e);
    } finally {
      release(ch, done);
    }
  }

  private ShardBytes getOverSftp(Watchdog.Op op, ShardName name, java.util.function.IntFunction<byte[]> buffers)
      throws IOException {
    SftpClient sftp = link.sftp(op);
    String path = HostedLayout.shardPath(name);
    Attributes a = sftp.stat(path);
    long size = a.getSize();
    if (!a.isRegularFile() || size < 0 || size > ShardChannelProtocol.MAX_SHARD_BYTES) {
      throw new IOException("shard " + name + " on the partner is not a regular file of a plausible size (" + size + ")");
    }
    op.expect(size);
    int length = (int) size;
    byte[] out = buffers.apply(length);
    try (InputStream in = sftp.read(path, SFTP_READ_SIZE)) {
      int off = 0;
      while (off < length) {
        int n = in.read(out, off, Math.min(SLICE, length - off));
        if (n < 0) {
          throw new EOFException("shard " + name + " ended after " + off + " of " + size + " bytes");
        }
        off += n;
        op.progress();
      }
      if (in.read() >= 0) {
        throw new IOException("shard " + name + " grew while being read");
      }
    }
    return new ShardBytes(out, length);
  }

  @Override
  public Optional<ShardStat> stat(ShardName name) {
    String what = "checking shard " + name + " on partner " + link.partner;
    try (Watchdog.Op op = watchdog.begin(what, 0)) {
      try {
        Attributes a = link.sftp(op).stat(HostedLayout.shardPath(name));
        if (!a.isRegularFile()) {
          throw new IOException(name + " on the partner is not a regular file");
        }
        return Optional.of(new ShardStat(name, a.getSize()));
      } catch (SftpException e) {
        if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
          return Optional.empty();
        }
        throw failure(op, e, what, name);
      } catch (IOException e) {
        throw failure(op, e, what, name);
      }
    }
  }

  @Override
  public List<ShardStat> list(String prefix) {
    String what = "listing shards on partner " + link.partner;
    List<ShardStat> out = new ArrayList<>();
    try (Watchdog.Op op = watchdog.begin(what, 0)) {
      try {
        SftpClient sftp = link.sftp(op);
        long seen = 0;
        for (DirEntry fan : sftp.readDir("/" + HostedLayout.SHARDS)) {
          op.progress();
          if (++seen > settings.maxListing()) {
            throw new ListingTooLongException(settings.maxListing());
          }
          String f = fan.getFilename();
          if (!fan.getAttributes().isDirectory() || f.equals(".") || f.equals("..")
              || !(prefix.startsWith(f) || f.startsWith(prefix))) {
            continue;
          }
          for (DirEntry e : sftp.readDir(HostedLayout.fanPath(f))) {
            op.progress();
            if (++seen > settings.maxListing()) {
              throw new ListingTooLongException(settings.maxListing());
            }
            String n = e.getFilename();
            if (e.getAttributes().isRegularFile() && ShardName.isValid(n) && n.startsWith(prefix)
                && HostedLayout.fanOf(n).equals(f)) {
              out.add(new ShardStat(new ShardName(n), e.getAttributes().getSize()));
            }
          }
        }
      } catch (IOException e) {
        throw failure(op, e, what, null);
      }
    }
    out.sort(Comparator.comparing(s -> s.name().value()));
    return out;
  }

  /** A partner listing more than we could ever have stored there: hostile or broken, never trusted. */
  private static final class ListingTooLongException extends IOException {
    ListingTooLongException(long max) {
      super("the partner lists more than " + max + " entries, more than it can hold for us; the listing was "
          + "abandoned (a broken or hostile partner)");
    }
  }

  @Override
  public void delete(ShardName name) {
    String what = "deleting shard " + name + " on partner " + link.partner;
    try (Watchdog.Op op = watchdog.begin(what, 0)) {
      try {
        link.sftp(op).remove(HostedLayout.shardPath(name));
      } catch (SftpException e) {
        if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
          throw failure(op, e, what, name);
        }
      } catch (IOException e) {
        throw failure(op, e, what, name);
      }
    }
  }

  /** Unknown until the RPC subsystem reports quota and usage; see docs/federation.md. */
  @Override
  public long freeSpace() {
    return Long.MAX_VALUE;
  }

  private FederationException failure(Watchdog.Op op, IOException e, String what, ShardName name) {
    if (op.expired() || e instanceof Watchdog.DeadlineException) {
      link.drop();
      return new PartnerUnreachableException(what + ": no progress within " + watchdog.stall().toMillis()
          + " ms (gave up after " + op.elapsedMillis() + " ms); the connection was dropped", e);
    }
    if (e instanceof GuardedSubsystem.RefusedException) {
      return link.refusedAsPartner(e);
    }
    if (e instanceof RefusedException r) {
      switch (r.status) {
        case ShardChannelProtocol.NOT_FOUND:
          return new ShardNotFoundException(name, describe());
        case ShardChannelProtocol.QUOTA_EXCEEDED:
          return new QuotaExceededException(what + ": " + r.getMessage(), r);
        case ShardChannelProtocol.NO_SPACE:
          return new StoreFullException(what + ": the partner's disk is full: " + r.getMessage(), r);
        default:
          return new StoreIoException(what + ": " + r.getMessage(), r);
      }
    }
    if (e instanceof SftpException s) {
      switch (s.getStatus()) {
        case SftpConstants.SSH_FX_NO_SUCH_FILE:
          return name == null ? new StoreIoException(what + ": the hosted directory is missing", s)
              : new ShardNotFoundException(name, describe());
        case SftpConstants.SSH_FX_QUOTA_EXCEEDED:
          return new QuotaExceededException(what + ": " + s.getMessage(), s);
        case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM:
          return new StoreFullException(what + ": the partner's disk is full", s);
        default:
          return new StoreIoException(what + ": " + s.getMessage(), s);
      }
    }
    if (e instanceof EOFException || !link.isUsable()) {
      link.drop();
      return new PartnerUnreachableException(what + ": the connection was lost: " + e.getMessage(), e);
    }
    return new StoreIoException(what + ": " + e.getMessage(), e);
  }
}
