package org.selfstorage.webui;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.AgentService;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.agent.UiToken;

/**
 * Starts the web UI with the running agent (found through {@code META-INF/services}): listens on
 * {@code ui.listen}, a loopback address, behind the token in {@code run/ui.token}.
 */
public final class WebUiService implements AgentService {
  public static final String NAME = "web-ui";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Started start(Context context) throws Exception {
    String listen;
    try (Agent agent = context.running().openAgent()) {
      listen = agent.configGet(ConfigKey.UI_LISTEN.key());
    }
    String token = UiToken.readOrCreate(context.home());
    WebServer server;
    try {
      server = WebServer.start(addresses(listen), token, context.home().runDir().resolve("ui.logouts"),
          context.running()::openAgent, context.clock(), context.log());
    } catch (java.io.IOException e) {
      throw new AgentException("UI_LISTEN_FAILED", "cannot listen on " + listen + ": " + e.getMessage(),
          "selfstorage config set ui.listen 127.0.0.1:PORT   (a free port), then restart the agent");
    }
    context.log().accept("web UI at " + server.address() + " (selfstorage ui prints the login link)");
    return new Started() {
      @Override
      public String url() {
        return server.loginUrl();
      }

      @Override
      public void reload() {
        String token = UiToken.readOrCreate(context.home());
        if (server.replaceToken(token)) {
          context.log().accept("web UI token replaced: links and browsers with the old one must log in again");
        }
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  /**
   * {@code ui.listen} as the socket addresses to listen on: localhost is both loopback addresses
   * (127.0.0.1 first, the one the links name), anything else one; the setting only admits loopback
   * names.
   */
  static List<InetSocketAddress> addresses(String listen) throws java.net.UnknownHostException {
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    if (host.equalsIgnoreCase("localhost")) {
      return List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
          new InetSocketAddress(InetAddress.getByName("::1"), port));
    }
    InetAddress a = InetAddress.getByName(host);
    if (!a.isLoopbackAddress()) {
      throw new AgentException("UI_LISTEN_INVALID", "the web UI listens on loopback addresses only, not " + listen,
          "selfstorage config set ui.listen 127.0.0.1:7780");
    }
    return List.of(new InetSocketAddress(a, port));
  }
}
