package org.selfstorage.federation.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.selfstorage.federation.ssh.StreamChannelCommand;
import org.selfstorage.federation.RpcCaller;
import org.selfstorage.federation.RpcException;
import org.selfstorage.federation.RpcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of {@link RpcProtocol}: collects the request frame on MINA's I/O thread (bounded by
 * {@link RpcProtocol#MAX_FRAME}), then parses it, calls the handler and writes the reply on a worker.
 */
final class RpcCommand extends StreamChannelCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RpcCommand.class);

  private final RpcHandler handler;
  private final java.util.function.Function<java.util.Optional<org.selfstorage.federation.HostedPartner>, Executor> lanes;
  /** The pool under the lanes, which never refuses: a BUSY answer is written there, not on an I/O thread. */
  private final Executor pool;
  /** The caller's lane, known once the session is (at start). */
  private volatile Executor workers;
  /** Sized at start: a guest's requests are short. */
  private FrameReader reader = new FrameReader(RpcProtocol.MAX_GUEST_FRAME);
  private final AtomicBoolean answered = new AtomicBoolean();
  private volatile RpcCaller caller;

  RpcCommand(ChannelSession channel, RpcHandler handler,
      java.util.function.Function<java.util.Optional<org.selfstorage.federation.HostedPartner>, Executor> lanes,
      Executor pool) {
    super(channel);
    this.handler = handler;
    this.lanes = lanes;
    this.pool = pool;
  }





  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    RpcPeer peer = channel.getSession().getAttribute(RpcPeer.KEY);
    if (peer == null) {
      throw new IOException("not logged in");
    }
    SocketAddress a = channel.getSession().getClientAddress();
    InetSocketAddress remote = a instanceof InetSocketAddress i ? i : new InetSocketAddress(0);
    caller = new RpcCaller(peer.partner(), peer.publicKey(), remote);
    workers = lanes.apply(peer.partner());
    synchronized (this) {
      reader = new FrameReader(peer.partner().isPresent() ? RpcProtocol.MAX_FRAME : RpcProtocol.MAX_GUEST_FRAME);
    }
  }

  @Override
  public synchronized int data(ChannelSession channel, byte[] buf, int start, int len) {
    if (answered.get()) {
      return len;
    }
    switch (reader.feed(buf, start, len)) {
      case TOO_LARGE -> answer(() -> errorReply(RpcProtocol.BAD_REQUEST,
          "a request is at most " + reader.max() + " bytes; this one declared " + reader.declaredLength()));
      case COMPLETE -> {
        byte[] frame = reader.frame();
        answer(() -> call(frame));
      }
      case NEED_MORE -> { }
    }
    return len;
  }

  /** End of file from the client, or the channel closing. */
  @Override
  public synchronized void close() {
    if (!answered.get()) {
      String why = reader.started() ? "the request ended before its last byte (truncated frame)" : "no request was sent";
      answer(() -> errorReply(RpcProtocol.BAD_REQUEST, why));
    }
  }

  private void answer(java.util.function.Supplier<JsonNode> reply) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    try {
      workers.execute(() -> send(reply.get()));
    } catch (RejectedExecutionException e) {
      // its own lane is full: it has that many calls unanswered or unread
      pool.execute(() -> send(errorReply(RpcProtocol.BUSY, "the agent is busy answering your other calls; try again "
          + "shortly")));
    }
  }

  private JsonNode call(byte[] frame) {
    JsonNode req;
    try {
      req = RpcProtocol.parse(frame);
    } catch (IOException e) {
      return errorReply(RpcProtocol.BAD_REQUEST, "the request is not valid JSON");
    }
    if (!req.isObject()) {
      return errorReply(RpcProtocol.BAD_REQUEST, "the request must be a JSON object");
    }
    JsonNode m = req.get("method");
    if (m == null || !m.isTextual() || !RpcProtocol.isValidMethod(m.textValue())) {
      return errorReply(RpcProtocol.BAD_REQUEST, "the request needs a method: a name of letters, digits, '_', '.' or '-'");
    }
    String method = m.textValue();
    JsonNode params = req.get("params");
    if (params == null) {
      params = JsonNodeFactory.instance.objectNode();
    } else if (!params.isObject()) {
      return errorReply(RpcProtocol.BAD_REQUEST, "params must be a JSON object");
    }
    RpcCaller c = caller;
    if (c.isGuest() && !RpcProtocol.GUEST_METHOD.equals(method)) {
      return errorReply(RpcProtocol.NOT_PAIRED, "this key has no agreement with this agent: it may only pair");
    }
    try {
      return RpcProtocol.result(handler.handle(c, method, params));
    } catch (RpcException e) {
      return errorReply(e.code(), e.getMessage());
    } catch (RuntimeException | Error e) {
      LOG.warn("RPC handler failed on {} from {} ({})", method,
          c.partner().map(p -> "partner " + p.name()).orElse("a guest"), c.remote(), e);
      return errorReply(RpcProtocol.INTERNAL, "the agent failed to answer " + method + "; its log has the details");
    }
  }

  private static JsonNode errorReply(String code, String message) {
    return RpcProtocol.error(code, message);
  }

  private void send(JsonNode reply) {
    byte[] frame;
    try {
      frame = RpcProtocol.frame(reply);
    } catch (IllegalArgumentException e) {
      LOG.warn("RPC answer not sent: {}", e.getMessage());
      frame = RpcProtocol.frame(RpcProtocol.error(RpcProtocol.INTERNAL,
          "the answer is larger than " + RpcProtocol.MAX_FRAME + " bytes"));
    }
    try {
      OutputStream o = out;
      o.write(frame);
      o.flush();
    } catch (IOException | RuntimeException e) {
      // the channel is gone
    }
    ExitCallback e = exit;
    if (e != null) {
      e.onExit(0);
    }
  }

  @Override
  public void destroy(ChannelSession channel) {
    answered.set(true);
  }
}
