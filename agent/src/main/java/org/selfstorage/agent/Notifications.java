package org.selfstorage.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.agent.notify.Webhook;
import org.selfstorage.agent.notify.WebhookFormat;
import org.selfstorage.agent.notify.WebhookSender;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Webhooks;

/**
 * The webhooks told about events: add, list, remove, test. Obtained from {@link
 * Agent#notifications()}.
 */
public final class Notifications {
  /** The codes of the events a webhook can ask for (docs/design.md, "Events and notifications"). */
  public static final Set<String> CODES = Set.of("BACKUP_DONE", "BACKUP_FAILED", "BACKUP_INCOMPLETE",
      "PARTNER_UNREACHABLE", "PARTNER_LOST", "PARTNER_BACK", "REDUNDANCY_DEGRADED", "REDUNDANCY_RESTORED",
      "PACKS_LOST", "REPAIR_DONE", "HEALED", "HEAL_INCOMPLETE", "QUOTA_NEARLY_FULL", "REPLICA_MISSED",
      "PRUNE_DONE", "SNAPSHOTS_FORGOTTEN", "SURPLUS_DELETED", "PARTNER_JOINED", "PARTNER_REVOKED",
      "PARTNER_REMOVED", "PARTNER_LEFT", "PARTNER_QUOTA", "PARTNER_RECOVERED", "PAIRING_REFUSED",
      "PARTNER_SITE", "PARTNER_ACCESS_REFUSED", "PARTNER_QUOTA_REFUSED", "PARTNER_SESSIONS_REFUSED",
      "LOGINS_REFUSED", "HOSTED_USAGE_CORRECTED", "INVITATION_ISSUED", "STORE_ADDED", "STORE_REMOVED",
      "SOURCE_REMOVED", "POLICY_SET", "RECOVERED", EventLog.TEST_CODE);
  private static final List<String> SEVERITIES = List.of("info", "warning", "error");

  private final Agent agent;
  private final Catalog catalog;
  private final Clock clock;

  Notifications(Agent agent, Catalog catalog, Clock clock) {
    this.agent = agent;
    this.catalog = catalog;
    this.clock = clock;
  }

  /**
   * Adds a webhook. {@code format}: generic, ntfy, gotify or healthchecks (null: generic);
   * {@code minSeverity}: info, warning or error (null: info); {@code events}: codes (empty: all).
   */
  public WebhookInfo add(String url, String format, String minSeverity, List<String> events) {
    URI uri = checkUrl(url);
    WebhookFormat f = WebhookFormat.byKey(format == null ? "generic" : format).orElseThrow(() -> new UsageException(
        "FORMAT_UNKNOWN", "there is no webhook format '" + format + "'; there are generic, ntfy, gotify and "
            + "healthchecks", "selfstorage notify add URL --format ntfy"));
    String severity = minSeverity == null ? "info" : minSeverity.toLowerCase(Locale.ROOT);
    if (!SEVERITIES.contains(severity)) {
      throw new UsageException("SEVERITY_UNKNOWN", "the minimum severity must be info, warning or error; '"
          + minSeverity + "' is not", "selfstorage notify add URL --min-severity warning");
    }
    List<String> codes = new ArrayList<>();
    for (String c : events == null ? List.<String>of() : events) {
      String code = c.trim().toUpperCase(Locale.ROOT);
      if (!CODES.contains(code)) {
        throw new UsageException("EVENT_UNKNOWN", "there is no event called '" + c + "'", "see docs/design.md, "
            + "\"Events and notifications\", for the codes; e.g. --events BACKUP_FAILED,PARTNER_LOST");
      }
      codes.add(code);
    }
    Webhooks.Row r = catalog.webhooks().add(uri.toString(), f.key(), severity,
        codes.isEmpty() ? null : String.join(",", codes), clock.instant());
    return info(r);
  }

  private static URI checkUrl(String url) {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
          || u.getHost() == null) {
        throw new URISyntaxException(url, "not an http or https URL with a host");
      }
      return u;
    } catch (URISyntaxException e) {
      // the message would repeat the URL, and with it any token
      throw new UsageException("URL_INVALID", "a webhook needs an http:// or https:// URL with a host",
          "selfstorage notify add https://ntfy.sh/TOPIC --format ntfy");
    }
  }

  public List<WebhookInfo> list() {
    return catalog.webhooks().list().stream().map(Notifications::info).toList();
  }

  public void remove(long id) {
    if (!catalog.webhooks().remove(id)) {
      throw new UsageException("WEBHOOK_UNKNOWN", "there is no webhook " + id, "selfstorage notify list");
    }
  }

  /**
   * Sends a test notice to every webhook (or to {@code id} only) now, once each, and returns each
   * answer. Filters do not apply: a test reaches every webhook it is sent to.
   */
  public List<NotifyTestResult> test(Long id) {
    List<Webhooks.Row> rows = catalog.webhooks().list().stream().filter(r -> id == null || r.id() == id).toList();
    if (rows.isEmpty()) {
      throw new UsageException("WEBHOOK_UNKNOWN", id == null ? "there are no webhooks" : "there is no webhook " + id,
          id == null ? "selfstorage notify add URL" : "selfstorage notify list");
    }
    WebhookSender sender = agent.sender();
    List<NotifyTestResult> out = new ArrayList<>();
    for (Webhooks.Row r : rows) {
      Webhook w = EventLog.webhook(r);
      WebhookSender.Delivery d = sender.send(w, agent.events().testNotice());
      out.add(new NotifyTestResult(r.id(), w.masked(), r.format(), d.status(), d.problem()));
    }
    return out;
  }

  private static WebhookInfo info(Webhooks.Row r) {
    return new WebhookInfo(r.id(), Webhook.mask(URI.create(r.url())), r.format(), r.minSeverity(),
        r.events() == null ? List.of() : Arrays.asList(r.events().split(",")), r.addedAt());
  }
}
