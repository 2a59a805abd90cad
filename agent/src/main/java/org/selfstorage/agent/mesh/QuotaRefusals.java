package org.selfstorage.agent.mesh;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.selfstorage.agent.notify.EventLog;
import org.selfstorage.federation.HostedRefusal;

/**
 * Tells this host's owner when a partner's shard is refused because the quota we keep for it is
 * full: one event per partner per {@link #EVERY}, not one per refused write (a backup meets many),
 * written on {@code writer}, off the SSH threads that refuse.
 */
public final class QuotaRefusals implements Consumer<HostedRefusal> {
  /** At most one event per partner this often. */
  public static final Duration EVERY = Duration.ofHours(1);

  private final EventLog events;
  private final Clock clock;
  private final Executor writer;
  private final Map<String, Instant> told = new ConcurrentHashMap<>();

  public QuotaRefusals(EventLog events, Clock clock, Executor writer) {
    this.events = events;
    this.clock = clock;
    this.writer = writer;
  }

  @Override
  public void accept(HostedRefusal r) {
    Instant now = clock.instant();
    Instant last = told.get(r.partner());
    if (last != null && now.isBefore(last.plus(EVERY))) {
      return;
    }
    if (last == null ? told.putIfAbsent(r.partner(), now) != null : !told.replace(r.partner(), last, now)) {
      return; // another refusal of the same moment is telling it
    }
    writer.execute(() -> events.record("PARTNER_QUOTA_REFUSED", "info", r.partner() + "'s shard of " + r.bytes()
        + " bytes was refused: its shards take " + r.used() + " of the " + r.quota() + " bytes we keep for it; its "
        + "backups place new shards elsewhere", "nothing is needed from you; to give " + r.partner() + " more room: "
        + "selfstorage partners set-quota " + r.partner() + " SIZE (or ask it to prune)"));
  }
}
