package org.selfstorage.agent.notify;

import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.selfstorage.catalog.Catalog;
import org.selfstorage.catalog.Webhooks;

/**
 * The one way events are recorded: each goes into the catalog's event log (status, the web UI and
 * {@code events} read it there) and to every webhook that wants it. Delivery is the sender's
 * business and never waits for the network here.
 */
public final class EventLog {
  /** The code of the notice {@code notify test} sends. */
  public static final String TEST_CODE = "NOTIFY_TEST";

  private final Catalog catalog;
  private final Clock clock;
  private final String home;
  private final Supplier<WebhookSender> sender;

  /**
   * @param sender the sender to hand notices to; called only when some webhook wants a notice, so
   *     a process with no webhooks starts no threads
   */
  public EventLog(Catalog catalog, Clock clock, String home, Supplier<WebhookSender> sender) {
    this.catalog = catalog;
    this.clock = clock;
    this.home = home;
    this.sender = sender;
  }

  /** An event log that only writes the catalog (a new home has no webhooks yet). */
  public static EventLog catalogOnly(Catalog catalog, Clock clock) {
    return new EventLog(catalog, clock, "", () -> null);
  }

  public void record(String code, String severity, String message) {
    record(code, severity, message, null);
  }

  public void record(String code, String severity, String message, String fix) {
    java.time.Instant now = clock.instant();
    catalog.events().add(now, code, severity, message, fix);
    List<Webhook> hooks = webhooks();
    if (hooks.isEmpty()) {
      return;
    }
    Notice n = new Notice(code, severity, message, fix, agentName(), home, now);
    WebhookSender s = null;
    for (Webhook w : hooks) {
      if (w.wants(n)) {
        s = s == null ? sender.get() : s;
        if (s != null) {
          s.submit(w, n);
        }
      }
    }
  }

  /** A notice as {@code notify test} sends it. */
  public Notice testNotice() {
    return new Notice(TEST_CODE, "info", "a test notification from selfstorage " + agentName()
        + "; webhooks are set up right", null, agentName(), home, clock.instant());
  }

  String agentName() {
    return catalog.settings().get("agent.name").filter(s -> !s.isEmpty()).orElse(home);
  }

  public List<Webhook> webhooks() {
    return catalog.webhooks().list().stream().map(EventLog::webhook).toList();
  }

  public static Webhook webhook(Webhooks.Row r) {
    Set<String> events = r.events() == null || r.events().isBlank() ? Set.of()
        : Arrays.stream(r.events().split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    return new Webhook(r.id(), URI.create(r.url()), WebhookFormat.byKey(r.format()).orElse(WebhookFormat.GENERIC),
        r.minSeverity(), events);
  }
}
