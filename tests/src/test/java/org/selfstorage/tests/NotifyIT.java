package org.selfstorage.tests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks from real agent processes: a backup run through the CLI (inside the owner's agent)
 * delivers BACKUP_DONE; a partner killed with -9 is noticed by the agent's hello and delivered as
 * PARTNER_UNREACHABLE, once.
 */
class NotifyIT {
  @TempDir Path dir;

  @Test
  void backupDone_andPartnerUnreachable_reachTheWebhook() throws Exception {
    WireMockServer hook = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    hook.start();
    MeshAgent owner = MeshAgent.create(dir, "owner", "127.0.0.30");
    MeshAgent partner = MeshAgent.create(dir, "h1", "127.0.0.31");
    try {
      hook.stubFor(post("/hook/tok3n").willReturn(aResponse().withStatus(200)));
      owner.ok("config", "set", "agent.hello-every", "1s");
      owner.ok("store", "add", dir.resolve("owner-usb").toString(), "--site", "usb");
      owner.start();
      partner.start();
      partner.ok("join", owner.invite("1G"), "--quota", "1G");
      Cli.Result added = owner.ok("notify", "add", hook.baseUrl() + "/hook/tok3n", "--format", "generic");
      assertFalse(added.stdout().contains("tok3n"), "the token is shown masked: " + added.stdout());
      assertTrue(owner.ok("notify", "test").stdout().contains("HTTP 200"));

      Path src = dir.resolve("src");
      Files.createDirectories(src);
      Files.writeString(src.resolve("a.txt"), "notify me ".repeat(1000));
      owner.ok("source", "add", src.toString(), "--name", "docs");
      owner.ok("backup", "docs");
      RequestPatternBuilder done = postRequestedFor(urlEqualTo("/hook/tok3n"))
          .withRequestBody(matchingJsonPath("$.code", equalTo("BACKUP_DONE")))
          .withRequestBody(matchingJsonPath("$.agent", equalTo("owner")));
      await(hook, done, owner);

      partner.kill();
      RequestPatternBuilder unreachable = postRequestedFor(urlEqualTo("/hook/tok3n"))
          .withRequestBody(matchingJsonPath("$.code", equalTo("PARTNER_UNREACHABLE")))
          .withRequestBody(matchingJsonPath("$.severity", equalTo("warning")))
          .withRequestBody(matchingJsonPath("$.message", com.github.tomakehurst.wiremock.client.WireMock.containing("h1")));
      await(hook, unreachable, owner);
      // more hellos fail, but the change was one: it is told once
      owner.awaitLog("partner h1 unreachable", java.time.Duration.ofSeconds(30));
      long helloFailures = owner.log().lines().filter(l -> l.contains("partner h1 unreachable")).count();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (helloFailures < 3 && System.nanoTime() < deadline) {
        Thread.sleep(200); // polling the agent's log for more failed hellos, bounded by the deadline
        helloFailures = owner.log().lines().filter(l -> l.contains("partner h1 unreachable")).count();
      }
      assertTrue(helloFailures >= 3, owner.log());
      assertEquals(1, hook.countRequestsMatching(unreachable.build()).getCount());
      assertFalse(owner.log().contains("tok3n"), "the agent's log shows the webhook's secret:\n" + owner.log());
      assertTrue(owner.json("status").toString().contains("PARTNER_UNREACHABLE"));
    } finally {
      partner.close();
      owner.close();
      hook.stop();
    }
  }

  private static void await(WireMockServer hook, RequestPatternBuilder pattern, MeshAgent owner) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (hook.countRequestsMatching(pattern.build()).getCount() > 0) {
        return;
      }
      Thread.sleep(100); // polling the webhook's journal, bounded by the deadline
    }
    throw new AssertionError("no such delivery: " + pattern.build() + "\nreceived: " + hook.getAllServeEvents()
        + "\n" + owner.log());
  }
}
