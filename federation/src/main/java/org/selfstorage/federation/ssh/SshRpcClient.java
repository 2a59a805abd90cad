package org.selfstorage.federation.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.ConnectionService;
import org.selfstorage.federation.FederationException;
import org.selfstorage.federation.PartnerUnreachableException;
import org.selfstorage.federation.RpcClient;
import org.selfstorage.federation.RpcException;
import org.selfstorage.federation.StoreIoException;
import org.selfstorage.federation.StoreUnavailableException;
import org.selfstorage.federation.rpc.FrameReader;
import org.selfstorage.federation.rpc.RpcProtocol;

/**
 * The client side of {@link RpcProtocol}: one channel per call on the partner's shared session,
 * under a {@link Watchdog} deadline (no reply within the stall timeout: the session is dropped and
 * the call fails with {@code PARTNER_UNREACHABLE}).
 */
final class SshRpcClient implements RpcClient {
  private final PartnerLink link;
  private final Watchdog watchdog;

  SshRpcClient(PartnerLink link, Watchdog watchdog) {
    this.link = link;
    this.watchdog = watchdog;
  }

  @Override
  public JsonNode call(String method, JsonNode params) {
    if (!RpcProtocol.isValidMethod(method)) {
      throw new IllegalArgumentException("not a method name: " + method);
    }
    if (params != null && !params.isObject()) {
      throw new IllegalArgumentException("params must be a JSON object");
    }
    byte[] request = RpcProtocol.frame(RpcProtocol.request(method, params));
    String what = "calling " + method + " on partner " + link.partner;
    byte[] reply;
    try (Watchdog.Op op = watchdog.begin(what, request.length)) {
      try {
        reply = exchange(op, request);
      } catch (IOException e) {
        throw failure(op, e, what);
      }
    }
    return decode(reply, what);
  }

  private byte[] exchange(Watchdog.Op op, byte[] request) throws IOException {
    ClientSession s = link.session(op);
    link.acquireChannel(op);
    GuardedSubsystem ch = new GuardedSubsystem(RpcProtocol.SUBSYSTEM);
    boolean done = false;
    try {
      s.getService(ConnectionService.class).registerChannel(ch);
      Sink sink = new Sink(op);
      ch.setOut(sink);
      ch.setErr(OutputStream.nullOutputStream());
      Watchdog.open(ch, watchdog.stall());
      OutputStream out = ch.getInvertedIn();
      out.write(request);
      out.flush();
      byte[] reply = sink.await(ch, op);
      done = true;
      return reply;
    } catch (IOException e) {
      throw SshShardStore.refusedOr(ch, e);
    } finally {
      try {
        if (done) {
          ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), watchdog.stall());
        }
        ch.close(!done);
      } finally {
        link.releaseChannel();
      }
    }
  }

  private FederationException failure(Watchdog.Op op, IOException e, String what) {
    if (op.expired() || e instanceof Watchdog.DeadlineException) {
      link.drop();
      return new PartnerUnreachableException(what + ": no reply within " + watchdog.stall().toMillis()
          + " ms (gave up after " + op.elapsedMillis() + " ms); the connection was dropped", e);
    }
    if (e instanceof GuardedSubsystem.RefusedException) {
      return new StoreUnavailableException(
          what + ": the partner does not serve RPC calls to this agent", e);
    }
    if (e instanceof EOFException || !link.isUsable()) {
      link.drop();
      return new PartnerUnreachableException(what + ": the connection was lost: " + e.getMessage(), e);
    }
    return new StoreIoException(what + ": " + e.getMessage(), e);
  }

  private static JsonNode decode(byte[] reply, String what) {
    JsonNode r;
    try {
      r = RpcProtocol.parse(reply);
    } catch (IOException e) {
      throw new StoreIoException(what + ": the partner answered malformed JSON", e);
    }
    if (r.isObject() && r.size() == 1 && r.has("result")) {
      return r.get("result");
    }
    JsonNode err = r.get("error");
    if (r.isObject() && r.size() == 1 && err != null && err.isObject()) {
      JsonNode code = err.get("code");
      JsonNode message = err.get("message");
      if (code != null && code.isTextual() && RpcException.isValidCode(code.textValue())) {
        String m = message != null && message.isTextual() ? RpcProtocol.clean(message.textValue()) : "";
        throw new RpcException(code.textValue(), m);
      }
    }
    throw new StoreIoException(what + ": the partner answered neither a result nor a valid error", null);
  }

  /** Receives the reply frame straight from MINA's I/O thread. */
  private static final class Sink extends OutputStream {
    private final Watchdog.Op op;
    private final FrameReader reader = new FrameReader(RpcProtocol.MAX_FRAME);
    private final CountDownLatch ended = new CountDownLatch(1);

    Sink(Watchdog.Op op) {
      this.op = op;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      op.progress();
      if (reader.feed(b, off, len) != FrameReader.State.NEED_MORE) {
        ended.countDown();
      }
    }

    byte[] await(GuardedSubsystem ch, Watchdog.Op op) throws IOException {
      while (true) {
        try {
          if (ended.await(25, TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted waiting for the partner's reply");
        }
        op.check();
        if (ch.isClosed() || ch.isClosing()) {
          if (ended.getCount() == 0) {
            break;
          }
          op.check();
          if (ch.refused()) {
            throw new GuardedSubsystem.RefusedException(RpcProtocol.SUBSYSTEM, null);
          }
          throw new EOFException("the partner closed the RPC channel before replying");
        }
      }
      synchronized (this) {
        if (reader.state() == FrameReader.State.TOO_LARGE) {
          throw new IOException("the partner's reply declares " + reader.declaredLength() + " bytes, above the limit of "
              + RpcProtocol.MAX_FRAME);
        }
        return reader.frame();
      }
    }
  }

}
