package org.selfstorage.agent.notify;

import java.net.URI;
import java.util.Set;

/**
 * A webhook as the sender needs it. {@code events} empty means every event (that reaches the
 * minimum severity). The URL may carry a token, so {@link #toString} and logs show it masked.
 */
public record Webhook(long id, URI url, WebhookFormat format, String minSeverity, Set<String> events) {

  /** Whether this webhook is told about a notice: severity high enough, and a code it asked for. */
  public boolean wants(Notice n) {
    return Notice.rank(n.severity()) >= Notice.rank(minSeverity) && (events.isEmpty() || events.contains(n.code()))
        && format.carries(n.code());
  }

  public String masked() {
    return mask(url);
  }

  @Override
  public String toString() {
    return "webhook " + id + " (" + format.key() + ", " + masked() + ")";
  }

  /**
   * A URL with what may be secret replaced by {@code ***}: the user info, the query, and any path
   * segment after the first (ntfy topics, healthchecks UUIDs and Gotify paths are the secret
   * part of such URLs; the host stays, so a user can still tell webhooks apart).
   */
  public static String mask(URI url) {
    StringBuilder out = new StringBuilder();
    out.append(url.getScheme()).append("://");
    if (url.getRawUserInfo() != null) {
      out.append("***@");
    }
    out.append(url.getHost() == null ? "?" : url.getHost());
    if (url.getPort() >= 0) {
      out.append(':').append(url.getPort());
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String[] parts = path.split("/", -1);
    // parts[0] is empty (the path starts with '/'); keep the first segment, mask the rest
    if (parts.length > 1) {
      out.append('/').append(parts[1]);
      if (parts.length > 2) {
        out.append("/***");
      }
    }
    if (url.getRawQuery() != null) {
      out.append("?***");
    }
    return out.toString();
  }
}
