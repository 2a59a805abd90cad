package org.selfstorage.agent.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfstorage.agent.Agent;
import org.selfstorage.agent.BackupResult;
import org.selfstorage.agent.Home;
import org.selfstorage.agent.Progress;

/** A webhook that does not answer holds up nothing: the backup is done while the hook still stalls. */
class StalledWebhookTest {
  @TempDir Path dir;

  /** Holds every request until the test lets go: a stall with no clock in it. */
  static final class Stall implements ResponseDefinitionTransformerV2 {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      arrived.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return event.getResponseDefinition();
    }

    @Override
    public String getName() {
      return "stall";
    }
  }

  @Test
  void backupReturns_whileTheWebhookStillHoldsTheRequest() throws Exception {
    Stall stall = new Stall();
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(stall));
    server.start();
    try {
      server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
      Home home = new Home(dir.resolve("home"));
      Agent.init(home, Clock.systemUTC(), "alice", null, null);
      Path src = dir.resolve("src");
      Files.createDirectories(src);
      Files.writeString(src.resolve("a.txt"), "hello");
      BackupResult b;
      try (Agent a = Agent.open(home, Clock.systemUTC())) {
        a.configSet("redundancy.tolerate", "0");
        a.addStore(dir.resolve("store"), "s1", "site1");
        a.addSource(src, "docs");
        a.notifications().add(server.baseUrl() + "/hook", "generic", "info", List.of("BACKUP_DONE"));
        b = a.backup("docs", null, Progress.Listener.NONE);
        // the backup has returned; its notice reaches the hook, which holds it
        assertTrue(stall.arrived.await(30, TimeUnit.SECONDS), "the webhook was never called");
        stall.release.countDown(); // only now does the hook answer; closing waits for that delivery
      }
      assertTrue(b.snapshotId().length() > 8);
      // had the backup waited for the hook, the first try would have timed out and been retried
      server.verify(1, postRequestedFor(urlEqualTo("/hook")));
    } finally {
      stall.release.countDown();
      server.stop();
    }
  }
}
