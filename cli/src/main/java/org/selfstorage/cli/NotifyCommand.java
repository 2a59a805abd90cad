package org.selfstorage.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.NotifyTestResult;
import org.selfstorage.agent.WebhookInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "notify", mixinStandardHelpOptions = true,
    description = {"Webhooks told about events: backups done or failed, partners unreachable, lost or back,",
        "redundancy degraded or restored, repairs, quotas nearly full. Formats: generic JSON, ntfy, Gotify,",
        "healthchecks-style ping URLs. Deliveries retry with backoff and never hold up a backup."},
    subcommands = {NotifyCommand.Add.class, NotifyCommand.ListHooks.class, NotifyCommand.Remove.class,
        NotifyCommand.Test.class})
final class NotifyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(SelfstorageCommand.of(spec).console().out());
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a webhook. The URL may hold a token: it is stored in the catalog and only shown masked.",
          "generic: POST of JSON {code, severity, message, fix, agent, home, time};",
          "ntfy: POST of the message to the topic URL with Title, Priority and Tags headers;",
          "gotify: POST of JSON {title, message, priority} to https://HOST/message?token=TOKEN;",
          "healthchecks: BACKUP_DONE pings URL, BACKUP_FAILED pings URL/fail, other events are not sent."})
  static final class Add implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "URL") String url;

    @Option(names = "--format", paramLabel = "FORMAT", description = "generic (default), ntfy, gotify or healthchecks.")
    String format;

    @Option(names = "--min-severity", paramLabel = "LEVEL", description = "info (default), warning or error.")
    String minSeverity;

    @Option(names = "--events", paramLabel = "CODE", split = ",",
        description = "Only these event codes (comma-separated), e.g. BACKUP_FAILED,PARTNER_LOST. Default: all.")
    List<String> events;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        WebhookInfo w = agent.notifications().add(url, format, minSeverity, events);
        var out = SelfstorageCommand.of(spec).console().out();
        if (json.enabled) {
          Json.print(out, w);
        } else {
          out.println("webhook " + w.id() + " added (" + w.format() + ", " + w.url() + "). Next: selfstorage notify test");
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the webhooks (URLs masked).")
  static final class ListHooks implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        List<WebhookInfo> hooks = agent.notifications().list();
        var out = SelfstorageCommand.of(spec).console().out();
        if (json.enabled) {
          Json.print(out, hooks);
        } else if (hooks.isEmpty()) {
          out.println("no webhooks. Next: selfstorage notify add URL --format ntfy");
        } else {
          out.printf("%-4s %-13s %-8s %-30s %s%n", "ID", "FORMAT", "MIN", "EVENTS", "URL");
          for (WebhookInfo w : hooks) {
            out.printf("%-4d %-13s %-8s %-30s %s%n", w.id(), w.format(), w.minSeverity(),
                w.events().isEmpty() ? "all" : String.join(",", w.events()), w.url());
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a webhook.")
  static final class Remove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        agent.notifications().remove(id);
        SelfstorageCommand.of(spec).console().out().println("webhook " + id + " removed");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Send a test event (NOTIFY_TEST) to every webhook, or to ID, once, now; print each answer.",
          "Exit code 1 when a webhook did not answer with 2xx."})
  static final class Test implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1") Long id;

    @CommandLine.Mixin JsonOption json;

    @Override
    public Integer call() {
      List<NotifyTestResult> results;
      try (Agent agent = SelfstorageCommand.of(spec).openAgent()) {
        results = agent.notifications().test(id);
      }
      var out = SelfstorageCommand.of(spec).console().out();
      if (json.enabled) {
        Json.print(out, results);
      } else {
        for (NotifyTestResult r : results) {
          out.println("webhook " + r.id() + " (" + r.format() + ", " + r.url() + "): " + (r.ok() ? "HTTP " + r.status()
              + ", delivered" : "NOT DELIVERED: " + r.problem()));
        }
      }
      return results.stream().allMatch(NotifyTestResult::ok) ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
