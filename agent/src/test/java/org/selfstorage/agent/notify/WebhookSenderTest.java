package org.selfstorage.agent.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each webhook format as a real HTTP server sees it, retries, and what the log may show of a URL. */
class WebhookSenderTest {
  private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final List<String> log = new CopyOnWriteArrayList<>();
  private WebhookSender sender;

  private static final Notice FAILED = new Notice("BACKUP_FAILED", "error", "backup of docs failed: NO_SITES",
      "selfstorage store add DIR --site NAME", "alice", "/home/alice/.selfstorage", Instant.parse("2026-05-01T02:00:00Z"));
  private static final Notice DONE = new Notice("BACKUP_DONE", "info", "snapshot 1234abcd of docs: 3 files", null,
      "alice", "/home/alice/.selfstorage", Instant.parse("2026-05-01T02:00:00Z"));

  @BeforeEach
  void start() {
    server.start();
    sender = new WebhookSender(new WebhookSender.Settings(10, 5, Duration.ofMillis(20), Duration.ofSeconds(5)),
        log::add);
  }

  @AfterEach
  void stop() {
    sender.close();
    server.stop();
  }

  private Webhook hook(String path, WebhookFormat format) {
    return new Webhook(1, URI.create(server.baseUrl() + path), format, "info", Set.of());
  }

  @Test
  void generic_postsEveryField() {
    server.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));
    assertTrue(sender.send(hook("/hook", WebhookFormat.GENERIC), FAILED).ok());
    server.verify(postRequestedFor(urlEqualTo("/hook"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson("{\"code\":\"BACKUP_FAILED\",\"severity\":\"error\",\"message\":\"backup of docs "
            + "failed: NO_SITES\",\"fix\":\"selfstorage store add DIR --site NAME\",\"agent\":\"alice\",\"home\":"
            + "\"/home/alice/.selfstorage\",\"time\":\"2026-05-01T02:00:00Z\"}")));
  }

  @Test
  void ntfy_postsTheSentence_withTitlePriorityAndTags() {
    server.stubFor(post("/mytopic").willReturn(aResponse().withStatus(200)));
    assertTrue(sender.send(hook("/mytopic", WebhookFormat.NTFY), FAILED).ok());
    server.verify(postRequestedFor(urlEqualTo("/mytopic"))
        .withHeader("Title", equalTo("selfstorage alice: BACKUP_FAILED"))
        .withHeader("Priority", equalTo("5"))
        .withHeader("Tags", equalTo("selfstorage,error,backup_failed"))
        .withRequestBody(equalTo("backup of docs failed: NO_SITES\nNext: selfstorage store add DIR --site NAME")));
    assertTrue(sender.send(hook("/mytopic", WebhookFormat.NTFY), DONE).ok());
    server.verify(postRequestedFor(urlEqualTo("/mytopic")).withHeader("Priority", equalTo("3")));
  }

  @Test
  void gotify_postsTitleMessagePriority_toTheUrlWithItsToken() {
    server.stubFor(post(urlPathEqualTo("/message")).willReturn(aResponse().withStatus(200)));
    assertTrue(sender.send(hook("/message?token=AbCdEf", WebhookFormat.GOTIFY), FAILED).ok());
    server.verify(postRequestedFor(urlEqualTo("/message?token=AbCdEf"))
        .withRequestBody(matchingJsonPath("$.title", equalTo("selfstorage alice: BACKUP_FAILED")))
        .withRequestBody(matchingJsonPath("$.message", equalTo("backup of docs failed: NO_SITES\n"
            + "Next: selfstorage store add DIR --site NAME")))
        .withRequestBody(matchingJsonPath("$.priority", equalTo("8"))));
  }

  @Test
  void healthchecks_pingsOnSuccess_andSlashFailOnFailure_andIgnoresTheRest() {
    server.stubFor(post(urlPathEqualTo("/ping/5f1c")).willReturn(aResponse().withStatus(200)));
    server.stubFor(post(urlPathEqualTo("/ping/5f1c/fail")).willReturn(aResponse().withStatus(200)));
    Webhook w = hook("/ping/5f1c", WebhookFormat.HEALTHCHECKS);
    assertTrue(sender.send(w, DONE).ok());
    assertTrue(sender.send(w, FAILED).ok());
    server.verify(1, postRequestedFor(urlEqualTo("/ping/5f1c")));
    server.verify(1, postRequestedFor(urlEqualTo("/ping/5f1c/fail")));
    Notice other = new Notice("PARTNER_LOST", "error", "bob is lost", null, "alice", "/h", Instant.now());
    assertFalse(w.wants(other), "a ping URL is about backups only");
    assertTrue(w.wants(DONE));
  }

  @Test
  void filters_bySeverityAndCode() {
    Webhook warnings = new Webhook(1, URI.create("http://x/"), WebhookFormat.GENERIC, "warning", Set.of());
    assertFalse(warnings.wants(DONE));
    assertTrue(warnings.wants(FAILED));
    Webhook onlyDone = new Webhook(1, URI.create("http://x/"), WebhookFormat.GENERIC, "info", Set.of("BACKUP_DONE"));
    assertTrue(onlyDone.wants(DONE));
    assertFalse(onlyDone.wants(FAILED));
  }

  @Test
  void failuresAreRetriedWithBackoff_untilDeliveredOnce() {
    server.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
    server.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(500)).willSetStateTo("third"));
    server.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs("third")
        .willReturn(aResponse().withStatus(200)).willSetStateTo("delivered"));
    sender.submit(hook("/flaky", WebhookFormat.GENERIC), DONE);
    assertEquals(0, sender.drain(Duration.ofSeconds(30)), "delivered or given up: " + log);
    server.verify(3, postRequestedFor(urlEqualTo("/flaky")));
    assertEquals("delivered", server.getAllScenarios().getScenarios().get(0).getState());
    assertTrue(log.stream().noneMatch(l -> l.contains("gave up")), log.toString());
    assertEquals(2, log.stream().filter(l -> l.contains("trying again")).count(), log.toString());
  }

  @Test
  void aWebhookThatRefuses_isNotRetried_andTheLogNeverShowsItsSecrets() {
    server.stubFor(post(urlPathEqualTo("/hook/s3cr3t-topic")).willReturn(aResponse().withStatus(500)));
    server.stubFor(post(urlPathEqualTo("/gone")).willReturn(aResponse().withStatus(404)));
    URI secret = URI.create("http://user:passw0rd@127.0.0.1:" + server.port() + "/hook/s3cr3t-topic?token=t0ken");
    sender.submit(new Webhook(7, secret, WebhookFormat.GOTIFY, "info", Set.of()), DONE);
    sender.submit(hook("/gone", WebhookFormat.GENERIC), DONE);
    assertEquals(0, sender.drain(Duration.ofSeconds(30)));
    server.verify(5, postRequestedFor(urlPathEqualTo("/hook/s3cr3t-topic")));
    server.verify(1, postRequestedFor(urlEqualTo("/gone")));
    String all = String.join("\n", log);
    assertTrue(all.contains("gave up"), all);
    assertTrue(all.contains("http://***@127.0.0.1:" + server.port() + "/hook/***?***"), all);
    for (String secretPart : List.of("passw0rd", "s3cr3t", "t0ken")) {
      assertFalse(all.contains(secretPart), "the log shows " + secretPart + ":\n" + all);
    }
  }

  @Test
  void aFullQueue_dropsTheOldest_withAWarning() throws Exception {
    // every notice is either sent or dropped with a warning; none vanishes unsaid
    WebhookSender tiny = new WebhookSender(new WebhookSender.Settings(1, 1, Duration.ofMillis(1),
        Duration.ofSeconds(5)), log::add);
    try {
      server.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(300)));
      for (int i = 0; i < 10; i++) {
        tiny.submit(hook("/slow", WebhookFormat.GENERIC), DONE);
      }
      assertEquals(0, tiny.drain(Duration.ofSeconds(30)));
    } finally {
      tiny.close();
    }
    int sent = server.countRequestsMatching(postRequestedFor(urlEqualTo("/slow")).build()).getCount();
    long dropped = log.stream().filter(l -> l.contains("dropped the oldest")).count();
    assertEquals(10, sent + dropped, log.toString());
    assertTrue(dropped > 0, "ten notices at once cannot fit two workers and a queue of one");
  }
}
