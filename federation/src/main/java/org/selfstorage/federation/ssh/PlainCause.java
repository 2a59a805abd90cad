package org.selfstorage.federation.ssh;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * Says in plain words why a partner could not be reached, from the exception the network or MINA
 * gave: users see "nothing answers at 10.0.0.2:7722 (its agent is not running, or a firewall is in
 * the way)", not "DefaultConnectFuture[...]: Failed (ConnectException) to execute: Connection refused".
 */
final class PlainCause {
  private PlainCause() {}

  static String of(Throwable e, Object address) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) {
        return "nothing answers at " + address + " (its agent is not running, or a firewall is in the way)";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to " + address + " (the machine is off, or the network between us is down)";
      }
      if (t instanceof UnknownHostException) {
        return "the name in " + address + " cannot be resolved (a typo, or its DNS entry is gone)";
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer from " + address + " in time (the machine or the network is overloaded or down)";
      }
      if (t instanceof EOFException || t instanceof ClosedChannelException) {
        return "the connection to " + address + " was closed by the other side or the network";
      }
    }
    String m = e.getMessage();
    return "the connection to " + address + " failed (" + (m == null ? e.getClass().getSimpleName() : m) + ")";
  }
}
