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
 * Tells this host's owner what the SSH server refused its partners and strangers: a shard past the
 * quota we keep for one (PARTNER_QUOTA_REFUSED), a request no partner may make
 * (PARTNER_ACCESS_REFUSED: a path outside its directory, a planted link; our agents never make one),
 * a session past a partner's cap (PARTNER_SESSIONS_REFUSED), logins with keys that have no
 * agreement past their limits (LOGINS_REFUSED, per address). One event per partner or address and
 * kind per {@link #EVERY}, not one per refusal (a backup meets many, a probe makes hundreds),
 * written on {@code writer}, off the SSH threads that refuse.
 */
public final class HostedRefusals implements Consumer<HostedRefusal> {
  /** At most one event per partner and kind this often. */
  public static final Duration EVERY = Duration.ofHours(1);

  private final EventLog events;
  private final Clock clock;
  private final Executor writer;
  private final Map<String, Instant> told = new ConcurrentHashMap<>();

  public HostedRefusals(EventLog events, Clock clock, Executor writer) {
    this.events = events;
    this.clock = clock;
    this.writer = writer;
  }

  @Override
  public void accept(HostedRefusal r) {
    String key = r.getClass().getSimpleName() + " " + r.from();
    Instant now = clock.instant();
    Instant last = told.get(key);
    if (last != null && now.isBefore(last.plus(EVERY))) {
      return;
    }
    if (last == null ? told.putIfAbsent(key, now) != null : !told.replace(key, last, now)) {
      return; // another refusal of the same moment is telling it
    }
    if (r instanceof HostedRefusal.Quota q) {
      writer.execute(() -> events.record("PARTNER_QUOTA_REFUSED", "info", q.from() + "'s shard of " + q.bytes()
          + " bytes was refused: its shards take " + q.used() + " of the " + q.quota() + " bytes we keep for it; its "
          + "backups place new shards elsewhere", "nothing is needed from you; to give " + q.from() + " more room: "
          + "selfstorage partners set-quota " + q.from() + " SIZE (or ask it to prune)"));
    } else if (r instanceof HostedRefusal.Access a) {
      writer.execute(() -> events.record("PARTNER_ACCESS_REFUSED", "warning", a.from() + " asked for something no "
          + "partner may do, and was refused (" + a.what() + "); selfstorage agents never ask for it, so "
          + a.from() + " runs other software or is probing this host. Nothing was read or changed outside its "
          + "own directory; this is told at most once an hour", "ask " + a.from() + "'s owner what runs there; "
          + "if you do not trust it: selfstorage partners remove " + a.from()));
    } else if (r instanceof HostedRefusal.Sessions n) {
      writer.execute(() -> events.record("PARTNER_SESSIONS_REFUSED", "warning", n.from() + " tried to hold more "
          + "than " + n.cap() + " SSH sessions with this host at once, and a login was refused (its open sessions go "
          + "on). A selfstorage agent holds one, and each command run without it one more, so " + n.from()
          + " leaks sessions or runs other software; this is told at most once an hour", "ask " + n.from()
          + "'s owner to restart its agent and run selfstorage doctor there; if it goes on and you do not trust it: "
          + "selfstorage partners remove " + n.from()));
    } else if (r instanceof HostedRefusal.Strangers x) {
      writer.execute(() -> events.record("LOGINS_REFUSED", "warning", "logins from " + x.from() + " with a key "
          + "that no agreement names were refused (" + x.why() + "). Such a key may only try to pair with an "
          + "invitation code: someone there is trying codes, or a partner you removed keeps calling. Partners "
          + "are not affected; this is told at most once an hour per address", "nothing, if you expect it; "
          + "otherwise block " + x.from() + " in your firewall"));
    }
  }
}
