package org.selfstorage.agent.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** How a notice is put to a kind of webhook service. */
public enum WebhookFormat {
  /** POST of a JSON object {code, severity, message, fix, agent, home, time}. */
  GENERIC("generic"),
  /** ntfy: POST of the sentence as plain text to the topic URL, with Title, Priority and Tags headers. */
  NTFY("ntfy"),
  /** Gotify: POST of JSON {title, message, priority} to the message URL (with ?token=...). */
  GOTIFY("gotify"),
  /** healthchecks.io and alike: a ping to the URL when a backup succeeds, to URL/fail when one fails. */
  HEALTHCHECKS("healthchecks");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String key;

  WebhookFormat(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Optional<WebhookFormat> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equalsIgnoreCase(key)).findFirst();
  }

  /** Whether this format has anything to say about events with this code (pings are about backups only). */
  boolean carries(String code) {
    return this != HEALTHCHECKS || code.equals("BACKUP_DONE") || code.equals("BACKUP_FAILED")
        || code.equals(EventLog.TEST_CODE);
  }

  /** The request that tells {@code url} about {@code n}. */
  HttpRequest request(URI url, Notice n, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(timeout).header("User-Agent", "selfstorage");
    String title = "selfstorage " + n.agent() + ": " + n.code();
    String text = n.message() + (n.fix() == null ? "" : "\nNext: " + n.fix());
    return switch (this) {
      case GENERIC -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", n.code());
        o.put("severity", n.severity());
        o.put("message", n.message());
        if (n.fix() == null) {
          o.putNull("fix");
        } else {
          o.put("fix", n.fix());
        }
        o.put("agent", n.agent());
        o.put("home", n.home());
        o.put("time", n.time().toString());
        yield b.uri(url).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(o.toString(), StandardCharsets.UTF_8)).build();
      }
      case NTFY -> b.uri(url).header("Content-Type", "text/plain; charset=utf-8")
          // header values must be ASCII; titles are built from names and codes that are
          .header("Title", ascii(title))
          .header("Priority", switch (Notice.rank(n.severity())) {
            case 2 -> "5";
            case 1 -> "4";
            default -> "3";
          })
          .header("Tags", "selfstorage," + n.severity() + "," + n.code().toLowerCase(java.util.Locale.ROOT))
          .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
      case GOTIFY -> {
        ObjectNode o = JSON.createObjectNode();
        o.put("title", title);
        o.put("message", text);
        o.put("priority", switch (Notice.rank(n.severity())) {
          case 2 -> 8;
          case 1 -> 5;
          default -> 2;
        });
        yield b.uri(url).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(o.toString(), StandardCharsets.UTF_8)).build();
      }
      case HEALTHCHECKS -> {
        URI target = n.code().equals("BACKUP_FAILED") ? withFail(url) : url;
        // the body is the run's log line, which healthchecks shows beside the ping
        yield b.uri(target).header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build();
      }
    };
  }

  private static URI withFail(URI url) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return URI.create(url.getScheme() + "://" + url.getRawAuthority() + base + "/fail"
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
  }

  private static String ascii(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
