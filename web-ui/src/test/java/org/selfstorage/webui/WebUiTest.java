package org.selfstorage.webui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.AgentJson;
import org.selfstorage.agent.ConfigKey;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.RunningAgent;
import org.selfstorage.agent.UiToken;
import org.selfstorage.agent.UsageException;

/**
 * The web UI as the running agent starts it (through ServiceLoader), on 127.0.0.1 and a port the
 * system picks, against a real home: the K-series controls of reliability.md §4.5, checked with
 * raw HTTP so that every header (a foreign Host, none at all) is exactly what a test says.
 */
class WebUiTest {
  private static final String HOSTILE = "<script>alert(1)</script>";
  private static final String HOSTILE_FILE = "<img src=x onerror=alert(1)>";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BIG_FILE = 24 << 20;

  @TempDir static Path dir;
  private static RunningAgent running;
  private static Home home;
  private static int port;
  private static String token;
  private static final List<String> log = new ArrayList<>();

  @BeforeAll
  static void startAgent() throws Exception {
    home = new Home(dir.resolve("home"));
    int sshPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      sshPort = s.getLocalPort();
    }
    Agent.init(home, Clock.systemUTC(), "alice", "127.0.0.1:" + sshPort, null);
    Path source = dir.resolve(HOSTILE);
    Files.createDirectories(source.resolve("sub"));
    Files.writeString(source.resolve(HOSTILE_FILE), "hello");
    Files.writeString(source.resolve("sub/inner.txt"), "inner");
    try (Agent a = Agent.open(home, Clock.systemUTC())) {
      a.configSet(ConfigKey.UI_LISTEN.key(), "127.0.0.1:0");
      a.addStore(dir.resolve("store-" + HOSTILE), "one", "site1");
      a.addStore(dir.resolve("store2"), "two", "site2");
      a.addSource(source, "docs", new Agent.SourceChange("weekly", List.of("*.bak"), List.of(), null, null, null));
      // one file large enough that a browser reading slowly keeps its download open
      Path big = dir.resolve("big");
      Files.createDirectories(big);
      byte[] noise = new byte[BIG_FILE];
      new java.util.SplittableRandom(7).nextBytes(noise);
      Files.write(big.resolve("big.bin"), noise);
      a.addSource(big, "big");
    }
    running = RunningAgent.start(home, Clock.systemUTC(), line -> {
      synchronized (log) {
        log.add(line);
      }
    });
    String url = running.service(WebUiService.NAME).orElseThrow(() -> new AssertionError(log.toString())).url();
    URI u = URI.create(url);
    port = u.getPort();
    token = u.getQuery().substring("token=".length());
    assertEquals("127.0.0.1", u.getHost());
  }

  @AfterAll
  static void stopAgent() {
    if (running != null) {
      running.close();
    }
  }

  // ---- raw HTTP

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** Sends one request as written (a null Host sends none); header names are lower-cased in the answer. */
  static Response http(String method, String path, String host, Map<String, String> headers, String body)
      throws IOException {
    return http(InetAddress.getByName("127.0.0.1"), method, path, host, headers, body);
  }

  static Response http(InetAddress to, String method, String path, String host, Map<String, String> headers,
      String body) throws IOException {
    try (Socket s = new Socket(to, port)) {
      s.setSoTimeout(30_000);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      if (host != null) {
        req.append("Host: ").append(host).append("\r\n");
      }
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        req.append("Content-Length: ").append(payload.length).append("\r\n");
      }
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(payload);
      out.flush();
      return parse(s.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    String raw = all.toString(StandardCharsets.UTF_8);
    int end = raw.indexOf("\r\n\r\n");
    String[] lines = raw.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
  }

  static String self() {
    return "127.0.0.1:" + port;
  }

  static Map<String, String> bearer() {
    return Map.of("Authorization", "Bearer " + token);
  }

  static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static Response get(String path) throws IOException {
    return http("GET", path, self(), bearer(), null);
  }

  static long events(String code) throws IOException {
    long n = 0;
    for (JsonNode e : get("/api/events?limit=500").json()) {
      n += e.get("code").asText().equals(code) ? 1 : 0;
    }
    return n;
  }

  /** The element of a JSON array whose "name" is {@code name}. */
  static JsonNode named(JsonNode array, String name) {
    for (JsonNode e : array) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  // ---- K1: Host

  @Test
  void foreignHost_isRefusedBeforeAnything_evenWithTheToken() throws Exception {
    for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.nip.io:" + port,
        "localhost.:" + port, "127.0.0.1:" + (port + 1), "127.0.0.1", "[::2]:" + port)) {
      Response r = http("GET", "/api/status", host, bearer(), null);
      assertEquals(421, r.status(), host + ": " + r);
      assertFalse(r.body().contains("home"), r.body());
      assertEquals("DENY", r.header("X-Frame-Options"));
    }
    // no Host at all (HTTP/1.1 requires one)
    assertEquals(421, http("GET", "/api/status", null, bearer(), null).status());
    // a foreign Host cannot log in or change anything either
    assertEquals(421, http("GET", "/?token=" + token, "evil.example:" + port, Map.of(), null).status());
    long before = events("INVITATION_ISSUED");
    Response post = http("POST", "/api/invitations", "evil.example:" + port, headers("Authorization", "Bearer " + token,
        "Origin", "http://evil.example:" + port, "Content-Type", "application/json"), "{\"quota\":\"1G\"}");
    assertEquals(421, post.status());
    assertEquals(before, events("INVITATION_ISSUED"));
    // the names this server is reached by are accepted
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port)) {
      assertEquals(200, http("GET", "/api/partners", host, bearer(), null).status(), host);
    }
  }

  // ---- K2/K3: token

  @Test
  void missingOrWrongToken_is401() throws Exception {
    assertEquals(401, http("GET", "/api/status", self(), Map.of(), null).status());
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Authorization", "Bearer wrong"), null).status());
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Authorization", "Bearer " + token + "x"), null).status());
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Authorization", "Basic " + token), null).status());
    assertEquals(401, http("GET", "/api/events", self(), Map.of("Cookie", Guard.COOKIE + "=nope"), null).status());
    Response page = http("GET", "/", self(), Map.of(), null);
    assertEquals(401, page.status());
    assertTrue(page.body().contains("selfstorage ui"), page.body());
    assertFalse(page.body().contains("alice"), page.body());
    Response badLogin = http("GET", "/?token=" + token.substring(1), self(), Map.of(), null);
    assertEquals(401, badLogin.status());
    assertNull(badLogin.header("Set-Cookie"));
    long before = events("INVITATION_ISSUED");
    assertEquals(401, http("POST", "/api/invitations", self(), headers("Origin", "http://" + self(),
        "Content-Type", "application/json"), "{\"quota\":\"1G\"}").status());
    assertEquals(before, events("INVITATION_ISSUED"));
  }

  @Test
  void loginLink_setsAStrictHttpOnlyCookie_andRedirectsAwayFromTheToken() throws Exception {
    Response r = http("GET", "/?token=" + token, self(), Map.of(), null);
    assertEquals(303, r.status());
    assertEquals("/", r.header("Location"));
    String cookie = r.header("Set-Cookie");
    assertTrue(cookie.startsWith(Guard.COOKIE + "="), cookie);
    assertFalse(cookie.contains(token), "the cookie is this browser's login, not the token: " + cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    String login = cookie.substring(0, cookie.indexOf(';'));
    Response page = http("GET", "/", self(), Map.of("Cookie", "other=1; " + login), null);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<script src=\"/app.js\""), page.body());
    assertEquals(200, http("GET", "/api/status", self(), Map.of("Cookie", login), null).status());
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Cookie", Guard.COOKIE + "=" + token), null).status(),
        "the token is no cookie");
    String forged = login.substring(0, login.length() - 1) + (login.endsWith("0") ? "1" : "0");
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Cookie", forged), null).status());
  }

  /** Opens the login link as a browser would; returns the cookie it sets ({@code name=value}). */
  static String logIn() throws IOException {
    String set = http("GET", "/?token=" + token, self(), Map.of(), null).header("Set-Cookie");
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void logOut_endsThatBrowsersLoginAlone_evenAfterARestart() throws Exception {
    String first = logIn();
    String second = logIn();
    assertFalse(first.equals(second));
    Map<String, String> post = headers("Origin", "http://" + self(), "Content-Type", "application/json");
    Map<String, String> withFirst = new java.util.HashMap<>(post);
    withFirst.put("Cookie", first);
    assertEquals(403, http("POST", "/api/logout", self(), headers("Cookie", first, "Content-Type", "application/json"),
        "{}").status(), "a logout is a change: another site cannot make a browser log out");
    Response out = http("POST", "/api/logout", self(), withFirst, "{}");
    assertEquals(204, out.status(), out.body());
    assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Cookie", first), null).status());
    assertEquals(200, http("GET", "/api/status", self(), Map.of("Cookie", second), null).status(), "the other browser");
    assertEquals(401, http("POST", "/api/logout", self(), withFirst, "{}").status(), "logged out already");
    assertEquals(400, http("POST", "/api/logout", self(), headers("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "{}").status(), "a script has no browser login to end");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        home.runDir().resolve("ui.logouts"))));
    // a new web server on the same home (as after an agent restart): the logout holds, the other login too
    try (WebServer again = WebServer.start(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
        token, home.runDir().resolve("ui.logouts"), () -> Agent.open(home, Clock.systemUTC()), Clock.systemUTC(),
        line -> {})) {
      int saved = port;
      port = again.port();
      try {
        assertEquals(401, http("GET", "/api/status", self(), Map.of("Cookie", first), null).status());
        assertEquals(200, http("GET", "/api/events", self(), Map.of("Cookie", second), null).status());
      } finally {
        port = saved;
      }
    }
  }

  // ---- K2: state changes

  @Test
  void post_withoutOrWithForeignOrigin_is403_evenWithTheCookie() throws Exception {
    String cookie = logIn();
    String json = "application/json";
    long before = events("INVITATION_ISSUED");
    int jobs = get("/api/jobs").json().size();
    List<Map<String, String>> refused = List.of(
        headers("Cookie", cookie, "Content-Type", json),
        headers("Cookie", cookie, "Content-Type", json, "Origin", "http://evil.example"),
        headers("Cookie", cookie, "Content-Type", json, "Origin", "null"),
        headers("Cookie", cookie, "Content-Type", json, "Origin", "http://127.0.0.1:" + (port + 1)),
        headers("Cookie", cookie, "Content-Type", json, "Sec-Fetch-Site", "same-origin"),
        headers("Cookie", cookie, "Content-Type", json, "Origin", "http://" + self(), "Sec-Fetch-Site", "cross-site"),
        headers("Cookie", cookie, "Content-Type", json, "Origin", "http://" + self(), "Sec-Fetch-Site", "same-site"),
        // a plain HTML form post, from this very origin
        headers("Cookie", cookie, "Content-Type", "text/plain", "Origin", "http://" + self()),
        headers("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded", "Origin", "http://" + self()),
        headers("Authorization", "Bearer " + token, "Content-Type", json, "Origin", "http://evil.example"),
        headers("Authorization", "Bearer " + token, "Content-Type", json, "Sec-Fetch-Site", "cross-site"),
        headers("Authorization", "Bearer " + token, "Content-Type", "text/plain"));
    for (Map<String, String> h : refused) {
      Response r = http("POST", "/api/invitations", self(), h, "{\"quota\":\"1G\"}");
      assertEquals(403, r.status(), h + ": " + r);
      assertEquals("FORBIDDEN", r.json().get("code").asText());
      Response b = http("POST", "/api/sources/docs/backup", self(), h, "{}");
      assertEquals(403, b.status(), h + ": " + b);
    }
    assertEquals(before, events("INVITATION_ISSUED"));
    assertEquals(jobs, get("/api/jobs").json().size(), "no backup was queued");
  }

  @Test
  void post_fromThisOrigin_orFromAScriptWithTheToken_works() throws Exception {
    Response r = http("POST", "/api/invitations", self(), headers("Cookie", logIn(),
        "Content-Type", "application/json", "Origin", "http://" + self(), "Sec-Fetch-Site", "same-origin"),
        "{\"quota\":\"2G\",\"expires\":\"1h\"}");
    assertEquals(201, r.status(), r.toString());
    assertTrue(r.json().get("code").asText().startsWith("ssi1-"), r.body());
    assertEquals(2L << 30, r.json().get("quotaBytes").asLong());
    Response bad = http("POST", "/api/invitations", self(), headers("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "{\"quota\":\"lots\"}");
    assertEquals(400, bad.status(), bad.toString());
    assertEquals("QUOTA_INVALID", bad.json().get("code").asText());
    Response unknown = http("POST", "/api/sources/nope/backup", self(), headers("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "{}");
    assertEquals(404, unknown.status(), unknown.toString());
  }

  @Test
  void backupNow_runsInTheBackground_andItsSnapshotCanBeBrowsed() throws Exception {
    Response r = http("POST", "/api/sources/docs/backup", self(), headers("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "{}");
    assertEquals(202, r.status(), r.toString());
    String location = r.header("Location");
    assertEquals("/api/jobs/" + r.json().get("id").asLong(), location);
    JsonNode job = r.json();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!job.get("state").asText().equals("done") && System.nanoTime() < deadline) {
      assertFalse(job.get("state").asText().equals("failed"), job.toString());
      Thread.sleep(100); // polling the job, bounded by the deadline
      job = get(location).json();
    }
    assertEquals("done", job.get("state").asText(), job.toString());
    // the job's counts are the snapshot's: two files, "hello" and "inner"
    assertEquals(2, job.get("progress").get("items").asLong(), job.toString());
    assertEquals(10, job.get("progress").get("bytes").asLong(), job.toString());
    String snapshot = job.get("snapshot").asText();
    assertEquals("[\"*.bak\"]", named(get("/api/sources").json(), "docs").get("leavesOut").toString());
    assertEquals(snapshot.substring(0, 8), named(get("/api/sources").json(), "docs").get("lastSnapshot").asText().substring(0, 8));
    assertEquals(1, get("/api/snapshots?source=docs").json().size());
    // the repository's figures, as `stats --json` gives them (another test may have backed up too)
    JsonNode stats = get("/api/stats").json();
    assertTrue(stats.get("snapshots").asLong() >= 1 && stats.get("latestFiles").asLong() >= 2, stats.toString());
    assertTrue(stats.get("shardBytes").asLong() > stats.get("storedBytes").asLong(), "with redundancy: " + stats);
    // one directory level at a time; hostile names come back as data, never as markup
    Response root = get("/api/snapshots/" + snapshot.substring(0, 8) + "/tree?path=");
    assertEquals(200, root.status(), root.toString());
    List<String> names = new ArrayList<>();
    root.json().get("entries").forEach(e -> names.add(e.get("path").asText()));
    assertEquals(List.of(HOSTILE_FILE, "sub"), names.stream().sorted().toList());
    // a page at a time: offset and limit, with the directory's total
    String tree = "/api/snapshots/" + snapshot + "/tree?path=";
    JsonNode first = get(tree + "&limit=1").json();
    JsonNode second = get(tree + "&offset=1&limit=1").json();
    assertEquals(2, first.get("total").asInt(), first.toString());
    assertEquals(0, first.get("offset").asInt());
    assertEquals(1, second.get("offset").asInt());
    assertEquals(List.of(names.get(0), names.get(1)), List.of(first.get("entries").get(0).get("path").asText(),
        second.get("entries").get(0).get("path").asText()));
    assertEquals(0, get(tree + "&offset=7").json().get("entries").size());
    assertEquals(400, get(tree + "&limit=0").status());
    assertEquals(400, get(tree + "&offset=-1").status());
    assertEquals(400, get(tree + "&limit=lots").status());
    assertFalse(root.body().contains("<"), root.body());
    JsonNode sub = get("/api/snapshots/" + snapshot + "/tree?path=" + "sub").json();
    assertEquals("sub/inner.txt", sub.get("entries").get(0).get("path").asText());
    assertEquals(1, sub.get("entries").size());
    assertEquals(404, get("/api/snapshots/" + snapshot + "/tree?path=nothing").status());
    assertTrue(events("BACKUP_DONE") >= 1);

    // a file comes back as an attachment of no particular type, whatever its name or content
    String file = "/api/snapshots/" + snapshot.substring(0, 8) + "/file?path=";
    Response inner = get(file + "sub%2Finner.txt");
    assertEquals(200, inner.status(), inner.toString());
    assertEquals("inner", inner.body());
    assertEquals("5", inner.header("Content-Length"));
    assertEquals("application/octet-stream", inner.header("Content-Type"));
    assertEquals("nosniff", inner.header("X-Content-Type-Options"));
    assertEquals("attachment; filename=\"inner.txt\"; filename*=UTF-8''inner.txt", inner.header("Content-Disposition"));
    Response hostile = get(file + java.net.URLEncoder.encode(HOSTILE_FILE, StandardCharsets.UTF_8));
    assertEquals("hello", hostile.body());
    String disposition = hostile.header("Content-Disposition");
    assertEquals("attachment; filename=\"_img_src_x_onerror_alert_1__\"; filename*=UTF-8''%3Cimg%20src%3Dx%20onerror%3D"
        + "alert%281%29%3E", disposition);
    Response dirFile = get(file + "sub");
    assertEquals(400, dirFile.status(), dirFile.toString());
    assertEquals("NOT_A_FILE", dirFile.json().get("code").asText());
    assertTrue(dirFile.json().get("fix").asText().contains("--include sub"), dirFile.toString());
    assertEquals(404, get(file + "sub%2Fnothing").status());
    assertEquals(404, get(file).status(), "no path: no entry");
    assertEquals(401, http("GET", file + "sub%2Finner.txt", self(), Map.of(), null).status());

    // with no store able to give the pack, the download ends short of its declared length: a
    // browser reports a failed download instead of keeping a file that looks whole
    List<Path[]> moved = new ArrayList<>();
    try {
      for (Path store : List.of(dir.resolve("store-" + HOSTILE), dir.resolve("store2"))) {
        Path away = store.resolveSibling(store.getFileName() + "-away");
        Files.move(store.resolve("shards"), away);
        moved.add(new Path[] {away, store.resolve("shards")});
      }
      Response broken = get(file + "sub%2Finner.txt");
      assertEquals("5", broken.header("Content-Length"), broken.toString());
      assertTrue(broken.body().length() < 5, broken.toString());
      synchronized (log) {
        assertTrue(log.stream().anyMatch(l -> l.contains("download of sub/inner.txt stopped")), log.toString());
      }
    } finally {
      for (Path[] m : moved) {
        Files.move(m[0], m[1]);
      }
    }
    assertEquals("inner", get(file + "sub%2Finner.txt").body(), "whole again once the shards are back");
  }

  @Test
  void downloads_holdAtMostTwoOfTheThreads_soTheDashboardStillAnswers() throws Exception {
    Response started = http("POST", "/api/sources/big/backup", self(), headers("Authorization", "Bearer " + token,
        "Content-Type", "application/json"), "{}");
    assertEquals(202, started.status(), started.toString());
    JsonNode job = started.json();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!job.get("state").asText().equals("done") && System.nanoTime() < deadline) {
      assertFalse(job.get("state").asText().equals("failed"), job.toString());
      Thread.sleep(100); // polling the job, bounded by the deadline
      job = get(started.header("Location")).json();
    }
    String file = "/api/snapshots/" + job.get("snapshot").asText() + "/file?path=big.bin";
    List<Socket> slow = new ArrayList<>();
    try {
      // browsers that take the headers and then read nothing: each download fills the socket and waits
      for (int i = 0; i < WebServer.MAX_DOWNLOADS; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("GET " + file + " HTTP/1.1\r\nHost: " + self() + "\r\nAuthorization: Bearer " + token
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        slow.add(s);
        byte[] status = s.getInputStream().readNBytes("HTTP/1.1 200".length());
        assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.ISO_8859_1));
      }
      Response refused = get(file);
      assertEquals(503, refused.status(), refused.toString());
      assertEquals("DOWNLOADS_BUSY", refused.json().get("code").asText());
      assertTrue(refused.json().get("fix").asText().contains("--include big.bin"), refused.toString());
      assertEquals(200, get("/api/status").status(), "the dashboard is served beside the downloads");
      assertEquals(200, get("/api/snapshots").status());
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
    // a browser that went away gives its place back
    Response whole = get(file);
    for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); whole.status() == 503
        && System.nanoTime() < end; whole = get(file)) {
      Thread.sleep(50); // the server notices the closed sockets at its next write, bounded by the deadline
    }
    assertEquals(200, whole.status(), whole.toString());
    assertEquals(String.valueOf(BIG_FILE), whole.header("Content-Length"));
  }

  // ---- K3: headers on every answer, no CORS

  @Test
  void everyAnswer_carriesTheSecurityHeaders_andNoCors() throws Exception {
    List<Response> answers = List.of(
        get("/api/status"),
        get("/api/nothing"),
        http("GET", "/", self(), Map.of(), null),
        http("GET", "/app.js", self(), Map.of(), null),
        http("GET", "/api/status", "evil.example", Map.of(), null),
        http("OPTIONS", "/api/invitations", self(), headers("Origin", "http://evil.example",
            "Access-Control-Request-Method", "POST"), null),
        http("POST", "/api/invitations", self(), Map.of("Origin", "http://evil.example"), "{}"));
    for (Response r : answers) {
      String csp = r.header("Content-Security-Policy");
      assertNotNull(csp, r.toString());
      assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
      assertEquals("DENY", r.header("X-Frame-Options"));
      assertEquals("nosniff", r.header("X-Content-Type-Options"));
      assertEquals("no-referrer", r.header("Referrer-Policy"));
      for (String h : r.headers().keySet()) {
        assertFalse(h.startsWith("access-control-"), r.toString());
      }
    }
    assertEquals(405, answers.get(5).status());
    assertTrue(answers.get(0).header("Content-Type").startsWith("application/json"));
  }

  // ---- K4: hostile names

  @Test
  void hostileNames_comeBackJsonEscaped() throws Exception {
    for (String path : List.of("/api/status", "/api/events", "/api/sources")) {
      Response r = get(path);
      assertEquals(200, r.status(), r.toString());
      assertFalse(r.body().contains("<script>"), path + ": " + r.body());
      assertFalse(r.body().contains("<"), path + ": " + r.body());
      assertTrue(r.body().contains("\\u003Cscript\\u003E") || r.body().contains("\\u003cscript\\u003e"), r.body());
    }
    // and decode to exactly what they are
    assertTrue(named(get("/api/sources").json(), "docs").get("path").asText().endsWith("/" + HOSTILE));
    boolean found = false;
    for (JsonNode e : get("/api/events?limit=500").json()) {
      found |= e.get("message").asText().contains("store-" + HOSTILE);
    }
    assertTrue(found, "the store's event names its hostile path");
  }

  @Test
  void thePage_loadsNothingFromElsewhere_andNeverParsesDataAsMarkup() throws Exception {
    String cookie = logIn();
    String page = http("GET", "/", self(), Map.of("Cookie", cookie), null).body();
    String script = http("GET", "/app.js", self(), Map.of(), null).body();
    String style = http("GET", "/style.css", self(), Map.of(), null).body();
    for (String file : List.of(page, script, style)) {
      assertFalse(file.contains("http://") || file.contains("https://") || file.contains("//cdn"), file);
      assertFalse(file.contains("@import") || file.contains("url("), "no fonts or images from anywhere");
    }
    for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
        "new Function")) {
      assertFalse(script.contains(sink), sink);
    }
    assertFalse(page.contains("<script>"), "no inline script (the CSP would refuse it anyway)");
    assertFalse(page.contains("style=\""), "no inline style");
  }

  // ---- shapes and files

  @Test
  void apiStatus_hasTheShapeOfStatusJson() throws Exception {
    JsonNode api = get("/api/status").json();
    JsonNode direct;
    try (Agent a = running.openAgent()) {
      direct = AgentJson.status(a);
    }
    assertEquals(names(direct), names(api));
    assertEquals(names(direct.get("verdict")), names(api.get("verdict")));
    assertEquals(names(named(direct.get("sources"), "docs")), names(named(api.get("sources"), "docs")));
    assertEquals("weekly", named(api.get("sources"), "docs").get("schedule").asText());
    java.time.Instant next = java.time.Instant.parse(named(api.get("sources"), "docs").get("nextRun").asText());
    assertTrue(next.isAfter(java.time.Instant.now()) && next.isBefore(java.time.Instant.now().plus(Duration.ofDays(8))),
        next.toString());
    assertEquals(next.toString(), java.time.Instant.parse(named(get("/api/sources").json(), "docs").get("nextRun").asText())
        .toString());
    assertEquals(2, api.get("stores").size());
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out.stream().sorted().toList();
  }

  @Test
  void aNewToken_refusesTheOldOneAtOnce_asBearerCookieAndLink() throws Exception {
    String old = token;
    String before = logIn();
    String renewed = UiToken.renew(home);
    running.service(WebUiService.NAME).orElseThrow().reload();
    token = renewed; // for the tests that run after this one
    assertFalse(renewed.equals(old));
    assertEquals(renewed, UiToken.readOrCreate(home));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(UiToken.file(home))));
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Authorization", "Bearer " + old), null).status());
    assertEquals(401, http("GET", "/api/status", self(), Map.of("Cookie", before), null).status());
    Response oldLink = http("GET", "/?token=" + old, self(), Map.of(), null);
    assertEquals(401, oldLink.status());
    assertNull(oldLink.header("Set-Cookie"));
    assertEquals(200, get("/api/status").status());
    assertEquals(200, http("GET", "/api/status", self(), Map.of("Cookie", logIn()), null).status());
    assertTrue(running.service(WebUiService.NAME).orElseThrow().url().endsWith("?token=" + renewed));
  }

  /** ui --new-token run outside the agent, or the token file deleted: the agent takes it up on its own. */
  @Test
  void aTokenReplacedOutsideTheAgent_isTakenUpWithinSeconds() throws Exception {
    String old = token;
    Files.delete(UiToken.file(home));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (http("GET", "/api/status", self(), Map.of("Authorization", "Bearer " + old), null).status() != 401) {
      assertTrue(System.nanoTime() < deadline, "the old token still works 30 s after its file was deleted");
      Thread.sleep(50); // polling the server, bounded by the deadline
    }
    token = UiToken.readOrCreate(home);
    assertFalse(token.equals(old));
    assertEquals(200, get("/api/status").status());
    synchronized (log) {
      assertTrue(log.stream().anyMatch(l -> l.contains("web UI token replaced")), log.toString());
    }
  }

  @Test
  void token_is256RandomBits_inA0600File() throws Exception {
    Path file = UiToken.file(home);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals(token, UiToken.readOrCreate(home), "the token stays across starts");
    assertEquals(32, java.util.Base64.getUrlDecoder().decode(token).length);
    synchronized (log) {
      assertTrue(log.stream().anyMatch(l -> l.contains("web UI at http://127.0.0.1:" + port + "/")), log.toString());
      assertTrue(log.stream().noneMatch(l -> l.contains(token)), "the token is never logged");
    }
  }

  @Test
  void localhost_isServedOnBothLoopbackAddresses_onePort() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, v6)) {
      org.junit.jupiter.api.Assumptions.assumeTrue(probe.isBound(), "this machine has no ::1");
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("this machine has no ::1: " + e.getMessage());
    }
    List<java.net.InetSocketAddress> both = WebUiService.addresses("localhost:0");
    assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), both.stream().map(a -> a.getAddress().getHostAddress())
        .toList());
    try (WebServer local = WebServer.start(both, token, null, () -> Agent.open(home, Clock.systemUTC()),
        Clock.systemUTC(), line -> {})) {
      int saved = port;
      port = local.port();
      try {
        assertEquals(2, local.listening().size(), local.listening()::toString);
        assertEquals(port, local.listening().get(1).getPort(), "one port for both");
        for (String to : List.of("127.0.0.1", "::1")) {
          assertEquals(200, http(InetAddress.getByName(to), "GET", "/api/status", "localhost:" + port, bearer(), null)
              .status(), to);
          assertEquals(401, http(InetAddress.getByName(to), "GET", "/api/status", "localhost:" + port, Map.of(), null)
              .status(), to + " is guarded alike");
        }
        assertTrue(local.loginUrl().startsWith("http://127.0.0.1:" + port + "/?token="), local.loginUrl());
      } finally {
        port = saved;
      }
    }
    assertEquals(1, WebUiService.addresses("127.0.0.1:7780").size());
  }

  @Test
  void uiListen_acceptsLoopbackOnly() {
    for (String ok : List.of("127.0.0.1:7780", "127.0.0.9:0", "[::1]:7780", "localhost:8080")) {
      assertEquals(ok, ConfigKey.UI_LISTEN.validate(ok));
    }
    for (String bad : List.of("0.0.0.0:7780", "192.168.1.2:7780", "example.org:7780", "127.0.0.1:70000",
        "127.0.0.1", "127.0.0.300:80", "[::]:7780")) {
      try {
        ConfigKey.UI_LISTEN.validate(bad);
        throw new AssertionError(bad + " was accepted");
      } catch (UsageException e) {
        assertEquals("CONFIG_INVALID", e.code());
      }
    }
  }
}
