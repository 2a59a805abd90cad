package org.selfstorage.webui;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentException;
import org.selfstorage.agent.AgentJson;

/**
 * The web UI's HTTP server: the JDK's own {@code com.sun.net.httpserver} on a loopback address,
 * serving the dashboard (HTML, one script, one stylesheet, all from this jar) and the JSON API.
 * Every request passes {@link Guard} first; the Host check comes before anything else.
 */
final class WebServer implements AutoCloseable {
  private static final int MAX_BODY = 64 * 1024;
  /** Threads serving requests; downloads may hold at most {@link #MAX_DOWNLOADS} of them. */
  private static final int THREADS = 4;
  /**
   * A download holds its thread until the browser has the last byte, which on a large file is
   * minutes: past this many at once, the dashboard's own requests would wait behind them.
   */
  static final int MAX_DOWNLOADS = 2;
  /** The pages and files anyone who reached the right Host may fetch: code and style, never data. */
  private static final Map<String, String> PUBLIC = Map.of(
      "/app.js", "text/javascript; charset=utf-8",
      "/style.css", "text/css; charset=utf-8");

  private final HttpServer http;
  /** The same server on the other loopback address when {@code ui.listen} names localhost. */
  private final List<HttpServer> more = new ArrayList<>();
  private final ExecutorService threads;
  private final Guard guard;
  private final Api api;
  private final AgentCalls calls;
  private final StatusCache status;
  private final BackupJobs backups;
  private final Consumer<String> log;
  private final ObjectWriter json;
  private final ObjectMapper reader = new ObjectMapper();
  private final Map<String, byte[]> files = new HashMap<>();
  private final Semaphore downloads = new Semaphore(MAX_DOWNLOADS);
  private volatile String token;

  private WebServer(HttpServer http, String token, java.nio.file.Path logouts, Supplier<Agent> opener, Clock clock,
      Consumer<String> log) {
    this.http = http;
    this.token = token;
    this.log = log;
    InetSocketAddress bound = http.getAddress();
    this.guard = new Guard(bound.getAddress().getHostAddress(), bound.getPort(), token,
        new BrowserSessions(token, logouts, log));
    this.calls = new AgentCalls(opener);
    this.status = new StatusCache(calls);
    this.backups = new BackupJobs(calls, clock, log, status::invalidate);
    this.api = new Api(calls, status, backups);
    // <, >, & and ' as \\u escapes: a JSON answer is never mistaken for markup, whatever names it holds
    this.json = AgentJson.mapper().writer().with(new HtmlSafeEscapes());
    for (String f : List.of("index.html", "login.html", "app.js", "style.css")) {
      files.put(f, resource(f));
    }
    this.threads = Executors.newFixedThreadPool(THREADS, daemonThreads("selfstorage-ui-http"));
    http.setExecutor(threads);
    http.createContext("/", this::handle);
  }

  /**
   * Starts serving on {@code bind}; {@code opener} gives agents of the home (the running agent's
   * {@code openAgent}, or a plain {@code Agent.open} in tests); {@code logouts}: the file that keeps
   * browsers' logouts across restarts (null: in memory only).
   */
  static WebServer start(InetSocketAddress bind, String token, java.nio.file.Path logouts, Supplier<Agent> opener,
      Clock clock, Consumer<String> log) throws IOException {
    return start(List.of(bind), token, logouts, opener, clock, log);
  }

  /**
   * As {@link #start(InetSocketAddress, String, java.nio.file.Path, Supplier, Clock, Consumer)} on
   * the first address, and on the port it got at each further one (localhost is 127.0.0.1 and ::1,
   * and a browser may try either); a further address that cannot be bound (a machine without IPv6)
   * is logged and left out.
   */
  static WebServer start(List<InetSocketAddress> binds, String token, java.nio.file.Path logouts,
      Supplier<Agent> opener, Clock clock, Consumer<String> log) throws IOException {
    HttpServer http = HttpServer.create(binds.get(0), 16);
    WebServer s = new WebServer(http, token, logouts, opener, clock, log);
    for (InetSocketAddress b : binds.subList(1, binds.size())) {
      InetSocketAddress same = new InetSocketAddress(b.getAddress(), s.port());
      try {
        HttpServer also = HttpServer.create(same, 16);
        also.setExecutor(s.threads);
        also.createContext("/", s::handle);
        s.more.add(also);
      } catch (IOException e) {
        log.accept("web UI not also on " + same.getAddress().getHostAddress() + ": " + e.getMessage());
      }
    }
    http.start();
    s.more.forEach(HttpServer::start);
    return s;
  }

  /** The addresses it listens on, the first being the one its links name. */
  List<InetSocketAddress> listening() {
    List<InetSocketAddress> out = new ArrayList<>(List.of(http.getAddress()));
    more.forEach(m -> out.add(m.getAddress()));
    return out;
  }

  int port() {
    return http.getAddress().getPort();
  }

  /** The address people open, without the token. */
  String address() {
    String host = http.getAddress().getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
  }

  /**
   * Accepts {@code newToken} only from now on; browsers logged in with the old one must log in again.
   * Returns whether it differs from the token until now.
   */
  synchronized boolean replaceToken(String newToken) {
    if (newToken.equals(token)) {
      return false;
    }
    guard.replaceToken(newToken);
    this.token = newToken;
    return true;
  }

  /** The login link: opening it sets the cookie and leads to the dashboard. */
  String loginUrl() {
    return address() + "?token=" + token;
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      Guard.secure(ex.getResponseHeaders());
      if (!guard.hostAllowed(ex.getRequestHeaders())) {
        // before anything else: a rebound name learns nothing, not even whether it has the token
        text(ex, 421, "text/plain; charset=utf-8", "This UI answers to http://127.0.0.1:" + port()
            + "/ (or localhost, [::1]) only.\n");
        return;
      }
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      if (!method.equals("GET") && !method.equals("POST")) {
        ex.getResponseHeaders().set("Allow", "GET, POST");
        error(ex, 405, "METHOD_NOT_ALLOWED", method + " is not served here", null);
        return;
      }
      if (method.equals("GET") && (path.equals("/") || path.equals("/login")) && query.containsKey("token")) {
        login(ex, query.get("token"));
        return;
      }
      if (method.equals("GET") && PUBLIC.containsKey(path)) {
        text(ex, 200, PUBLIC.get(path), files.get(path.substring(1)));
        return;
      }
      Guard.Auth auth = guard.authenticate(ex.getRequestHeaders());
      if (auth == Guard.Auth.NONE) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"selfstorage\"");
        if (path.startsWith("/api/")) {
          error(ex, 401, "UNAUTHORIZED", "this needs the UI token", "selfstorage ui   (prints the login link; "
              + "scripts send Authorization: Bearer TOKEN)");
        } else {
          text(ex, 401, "text/html; charset=utf-8", files.get("login.html"));
        }
        return;
      }
      if (method.equals("POST")) {
        String refused = guard.refuseChange(ex.getRequestHeaders(), auth);
        if (refused != null) {
          error(ex, 403, "FORBIDDEN", refused, null);
          return;
        }
      }
      if (method.equals("POST") && path.equals("/api/logout")) {
        logOut(ex, auth);
      } else if (method.equals("GET") && path.equals("/")) {
        text(ex, 200, "text/html; charset=utf-8", files.get("index.html"));
      } else if (path.startsWith("/api/")) {
        api(ex, method, path, query);
      } else {
        error(ex, 404, "NOT_FOUND", "nothing here", null);
      }
    } catch (IOException e) {
      // the browser went away
    } catch (RuntimeException e) {
      log.accept("web UI: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
    }
  }

  private void login(HttpExchange ex, String candidate) throws IOException {
    if (!guard.matches(candidate)) {
      text(ex, 401, "text/html; charset=utf-8", files.get("login.html"));
      return;
    }
    ex.getResponseHeaders().set("Set-Cookie", guard.newLoginCookie());
    ex.getResponseHeaders().set("Location", "/"); // the token leaves the address bar and the history
    ex.sendResponseHeaders(303, -1);
  }

  /** Ends this browser's login alone: its cookie is refused from now on, other browsers stay logged in. */
  private void logOut(HttpExchange ex, Guard.Auth auth) throws IOException {
    if (auth != Guard.Auth.COOKIE || !guard.logOut(ex.getRequestHeaders())) {
      error(ex, 400, "NOT_A_BROWSER_LOGIN", "logging out ends a browser's login; the token itself stays valid",
          "selfstorage ui --new-token   (ends every login and link at once)");
      return;
    }
    ex.getResponseHeaders().set("Set-Cookie", Guard.endedCookie());
    ex.sendResponseHeaders(204, -1);
  }

  private void api(HttpExchange ex, String method, String rawPath, Map<String, String> query) throws IOException {
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.substring("/api/".length()).split("/")) {
      if (!s.isEmpty()) {
        segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    JsonNode body = NullNode.instance;
    if (method.equals("POST")) {
      byte[] raw = readBody(ex.getRequestBody());
      if (raw == null) {
        error(ex, 413, "TOO_LARGE", "the request body is over " + MAX_BODY + " bytes", null);
        return;
      }
      try {
        body = raw.length == 0 ? reader.createObjectNode() : reader.readTree(raw);
      } catch (IOException e) {
        error(ex, 400, "BAD_REQUEST", "the body is not JSON", null);
        return;
      }
    }
    try {
      Api.Reply r = api.handle(method, segments, query, body);
      if (r.location() != null) {
        ex.getResponseHeaders().set("Location", r.location());
      }
      if (r.body() instanceof Api.Download d) {
        download(ex, d);
        return;
      }
      send(ex, r.status(), r.body());
    } catch (AgentException e) {
      int code = e.code().equals("NOT_FOUND") || e.code().endsWith("_UNKNOWN") ? 404
          : e.code().equals("UI_BUSY") || e.code().equals("HOME_BUSY") ? 503 : e.isUsageError() ? 400 : 500;
      error(ex, code, e.code(), e.getMessage(), e.fix());
    }
  }

  /** Sends {@code d} unless {@link #MAX_DOWNLOADS} are running already (then a 503 that says so). */
  private void download(HttpExchange ex, Api.Download d) throws IOException {
    if (!downloads.tryAcquire()) {
      error(ex, 503, "DOWNLOADS_BUSY", MAX_DOWNLOADS + " downloads are running; this one can start when one of them "
          + "has ended", "wait for a download to finish, or restore several files at once: selfstorage restore "
          + d.snapshot().substring(0, 8) + " --target DIR --include " + d.entry().path());
      return;
    }
    try {
      sendFile(ex, d);
    } finally {
      downloads.release();
    }
  }

  /**
   * A snapshot's file, always as an attachment of no particular type: a backed-up web page must
   * never be rendered as this UI's own (with nosniff, the browser only saves it). The length is
   * declared, so a download that fails half-way (a pack no store can give) ends short and the
   * browser reports it instead of keeping a truncated file; a file stored inconsistently (its
   * chunks may not add up to its recorded size) goes without one.
   */
  private void sendFile(HttpExchange ex, Api.Download d) throws IOException {
    String name = d.entry().path().substring(d.entry().path().lastIndexOf('/') + 1);
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_")
        + "\"; filename*=UTF-8''" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("*", "%2A"));
    long length = d.entry().incomplete() != null ? 0 : d.entry().size() == 0 ? -1 : d.entry().size();
    ex.sendResponseHeaders(200, length);
    if (length == -1) {
      return;
    }
    try {
      d.body().writeTo(ex.getResponseBody());
    } catch (RuntimeException e) {
      log.accept("web UI: download of " + d.entry().path() + " stopped: " + e.getMessage());
      throw new IOException(e.getMessage(), e); // the exchange ends short of its length: the browser sees a failure
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] raw = in.readNBytes(MAX_BODY + 1);
    return raw.length > MAX_BODY ? null : raw;
  }

  private void error(HttpExchange ex, int status, String code, String message, String fix) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("fix", fix);
    send(ex, status, body);
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    text(ex, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
  }

  private static void text(HttpExchange ex, int status, String type, String body) throws IOException {
    text(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void text(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebServer.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the web UI's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    more.forEach(m -> m.stop(0));
    threads.shutdownNow();
    backups.close();
    status.close();
    calls.close();
  }

  /** Jackson's JSON escapes plus {@code < > & '} and the two JavaScript line separators. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    HtmlSafeEscapes() {
      for (char c : new char[] {'<', '>', '&', '\''}) {
        ascii[c] = ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 ? new SerializedString("\\u2028") : ch == 0x2029 ? new SerializedString("\\u2029") : null;
    }
  }
}
