package org.selfstorage.webui;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks every request passes before it reaches any data (docs/design.md, Web UI): the Host
 * header against an allow-list (DNS rebinding), the token (as a bearer header or the login
 * cookie), and for requests that change something, an Origin and Sec-Fetch-Site of this very UI
 * and a JSON body (CSRF). Also the headers every response carries.
 */
final class Guard {
  static final String COOKIE = "selfstorage_ui";

  /** How the request proved it knows the token. */
  enum Auth { NONE, COOKIE, BEARER }

  private final Set<String> hosts;
  private final BrowserSessions browsers;
  private volatile byte[] token;

  /**
   * @param bindHost the loopback address the server listens on (127.0.0.1, or another 127.x
   *     address, or ::1), also allowed as a Host: an address literal cannot be rebound
   * @param browsers the browsers' logins, whose cookies are checked here
   */
  Guard(String bindHost, int port, String token, BrowserSessions browsers) {
    this.browsers = browsers;
    String bound = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
    this.hosts = Set.copyOf(List.of("127.0.0.1:" + port, "[::1]:" + port, "localhost:" + port,
        bound.toLowerCase(Locale.ROOT) + ":" + port));
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Only the names this server is reached by on this machine, with the port: a page on another
   * site whose name was rebound to 127.0.0.1 sends its own name, and is refused before anything
   * else happens. A missing or repeated Host is refused too.
   */
  boolean hostAllowed(Headers request) {
    List<String> host = request.get("Host");
    return host != null && host.size() == 1 && hosts.contains(host.get(0).toLowerCase(Locale.ROOT));
  }

  /** The bearer header (scripts) or a browser's login cookie, checked in constant time. */
  Auth authenticate(Headers request) {
    String authorization = request.getFirst("Authorization");
    if (authorization != null) {
      return authorization.startsWith("Bearer ") && matches(authorization.substring(7).trim()) ? Auth.BEARER
          : Auth.NONE;
    }
    for (String value : cookies(request)) {
      if (browsers.valid(value)) {
        return Auth.COOKIE;
      }
    }
    return Auth.NONE;
  }

  /** Logs out the browser whose login cookie came with the request; false when none was valid. */
  boolean logOut(Headers request) {
    for (String value : cookies(request)) {
      if (browsers.end(value)) {
        return true;
      }
    }
    return false;
  }

  /** The values of our cookie in a request (a browser may send it more than once). */
  private static List<String> cookies(Headers request) {
    List<String> out = new java.util.ArrayList<>();
    List<String> headers = request.get("Cookie");
    if (headers != null) {
      for (String header : headers) {
        for (String c : header.split(";")) {
          String kv = c.trim();
          if (kv.startsWith(COOKIE + "=")) {
            out.add(kv.substring(COOKIE.length() + 1));
          }
        }
      }
    }
    return out;
  }

  /** From now on only {@code newToken} is accepted: links and every browser's login of the old one are refused. */
  void replaceToken(String newToken) {
    this.token = newToken.getBytes(StandardCharsets.US_ASCII);
    browsers.replaceToken(newToken);
  }

  /** A new browser login: the cookie to set. */
  String newLoginCookie() {
    return loginCookie(browsers.start());
  }

  boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Why a state-changing request is refused, or null when it may go ahead. A browser always sends
   * Origin on a POST, and modern ones Sec-Fetch-Site: both must say "this UI". A script (curl)
   * sends neither, and is let through only with the token in the Authorization header, which no
   * other page can make a browser send. A JSON body rules out plain HTML form posts.
   */
  String refuseChange(Headers request, Auth auth) {
    String host = request.getFirst("Host");
    String origin = request.getFirst("Origin");
    String fetchSite = request.getFirst("Sec-Fetch-Site");
    if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
      return "the request comes from another site (" + origin + ")";
    }
    if (fetchSite != null && !fetchSite.equals("same-origin")) {
      return "the request comes from another site (Sec-Fetch-Site: " + fetchSite + ")";
    }
    if (origin == null && (fetchSite != null || auth != Auth.BEARER)) {
      return "a change needs an Origin header of this UI, or the token in an Authorization header";
    }
    String type = request.getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return "a change needs a JSON body (Content-Type: application/json)";
    }
    return null;
  }

  /** What every response says, errors included: no framing, no sniffing, no referrer, nothing from elsewhere. */
  static void secure(Headers response) {
    response.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        + "form-action 'self'; object-src 'none'");
    response.set("X-Frame-Options", "DENY");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("Cross-Origin-Resource-Policy", "same-origin");
    response.set("Cache-Control", "no-store");
  }

  /** The cookie the login link sets: this browser's login, for this host only, never readable by scripts or sent cross-site. */
  static String loginCookie(String value) {
    return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  }

  /** The answer to a logout: the browser drops its cookie. */
  static String endedCookie() {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }
}
