package org.selfstorage.agent.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * A source's schedule: {@code hourly} (minute 0), {@code daily} (02:00), {@code weekly} (Sunday
 * 02:00) or a five-field Unix cron expression ({@code "30 3 * * 1-5"}), in this machine's time zone.
 * Parsing and the calendar arithmetic are cron-utils'.
 */
public final class Schedule {
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String text;
  private final ExecutionTime times;

  private Schedule(String text, ExecutionTime times) {
    this.text = text;
    this.times = times;
  }

  /** Parses a schedule; throws IllegalArgumentException saying what is wrong. */
  public static Schedule parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    String cron = switch (t) {
      case "hourly" -> "0 * * * *";
      case "daily" -> "0 2 * * *";
      case "weekly" -> "0 2 * * 0";
      default -> t;
    };
    try {
      return new Schedule(t, ExecutionTime.forCron(PARSER.parse(cron)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not hourly, daily, weekly or a cron expression like "
          + "'30 3 * * *' (" + e.getMessage() + ")");
    }
  }

  public String text() {
    return text;
  }

  /** The first run time strictly after {@code after}. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    Optional<ZonedDateTime> next = times.nextExecution(after.atZone(zone));
    return next.map(ZonedDateTime::toInstant).orElse(Instant.MAX);
  }

  /**
   * Whether a run is due at {@code now}, given the last run started at {@code last}: true when a
   * scheduled time fell between them. However many were missed (the machine was off), one run
   * catches up.
   */
  public boolean isDue(Instant last, Instant now, ZoneId zone) {
    return !nextAfter(last, zone).isAfter(now);
  }
}
