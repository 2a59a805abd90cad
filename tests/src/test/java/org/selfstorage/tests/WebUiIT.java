package org.selfstorage.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser (Debian's headless Chromium) against real agent processes: an
 * owner and two partners, paired by invitation codes. The dashboard shows the partners and the
 * health, "Back up now" makes a snapshot, a killed partner turns unreachable on the page without a
 * reload, and a visit without the token sees nothing. Skipped, saying why, where Chromium is not
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String HOSTILE = "<img src=x onerror=document.title='pwned'>";
  /** Files in one directory: more than one page of the tree view (500). */
  private static final int MANY = 510;

  @TempDir static Path dir;
  private MeshAgent owner;
  private MeshAgent p1;
  private MeshAgent p2;
  private ChromeDriverService service;
  private WebDriver browser;
  private String login;
  private String base;
  private List<java.util.concurrent.Future<MeshAgent>> starting = List.of();

  @BeforeAll
  void startMeshAndBrowser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium and chromedriver are not installed (" + CHROMIUM + ", " + CHROMEDRIVER
            + "): apt-get install chromium chromium-driver");
    // three homes made and started side by side: each step is a JVM start, and the budget is short
    var owning = inParallel(() -> MeshAgent.create(dir, "owner", "127.0.0.30"));
    var first = inParallel(() -> MeshAgent.create(dir, "p1", "127.0.0.31").start());
    var second = inParallel(() -> MeshAgent.create(dir, "p2", "127.0.0.32").start());
    starting = List.of(owning, first, second);
    owner = owning.get();
    owner.ok("config", "set", "ui.listen", "127.0.0.30:0");
    owner.start();
    p1 = first.get();
    p2 = second.get();
    for (MeshAgent p : List.of(p1, p2)) {
      p.ok("join", owner.invite("1G"), "--quota", "1G");
    }
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("docs"));
    BackupRestoreIT.writeRandom(src.resolve("docs/data.bin"), 2_000_000, 3);
    Files.writeString(src.resolve(HOSTILE), "a file whose name is markup");
    Files.createDirectories(src.resolve("many"));
    for (int i = 0; i < MANY; i++) {
      Files.writeString(src.resolve(String.format("many/f%04d.txt", i)), "x");
    }
    owner.ok("source", "add", src.toString(), "--name", "docs");

    JsonNode ui = owner.json("ui");
    assertTrue(ui.get("agentRunning").asBoolean(), ui.toString());
    login = ui.get("url").asText();
    URI u = URI.create(login);
    base = "http://" + u.getHost() + ":" + u.getPort() + "/";
    assertEquals("127.0.0.30", u.getHost());
    owner.awaitLog("web UI at " + base, Duration.ofSeconds(5));

    // the system's chromedriver and browser: Selenium Manager must not fetch anything
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory",
        dir.resolve("downloads").toString(), "download.prompt_for_download", false));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
  }

  private static <T> java.util.concurrent.Future<T> inParallel(java.util.concurrent.Callable<T> step) {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(step);
    Thread t = new Thread(task, "webuiit-setup");
    t.setDaemon(true);
    t.start();
    return task;
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    for (var f : starting) {
      // every agent that came up, even when another one failed to
      try {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS).close();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // it never ran
      }
    }
  }

  /** A wait that looks again when the page replaced an element between finding and reading it. */
  private org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(200))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  /** The rendered text of the first match, read in one step: the page redraws itself while a test looks. */
  private String text(String css) {
    Object t = ((JavascriptExecutor) browser).executeScript(
        "const e = document.querySelector(arguments[0]); return e === null ? '' : e.innerText;", css);
    return t == null ? "" : t.toString().trim();
  }

  @Test
  @Order(1)
  void aVisitWithoutTheToken_seesNoData() {
    browser.get(base);
    String page = browser.findElement(By.tagName("body")).getText();
    assertTrue(page.contains("needs the UI's login link"), page);
    assertFalse(page.contains("p1"), page);
    assertTrue(browser.manage().getCookies().isEmpty(), "no cookie without the token");
    browser.get(base + "?token=not-the-token");
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("needs the UI's login link"));
    assertTrue(browser.manage().getCookies().isEmpty());
  }

  @Test
  @Order(2)
  void theDashboard_showsPartnersAndHealth() {
    browser.get(login);
    // the login link leads to the dashboard with the token gone from the address bar
    assertEquals(base, browser.getCurrentUrl());
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok")
        && text("[data-partner='p2'] .status").equals("ok"));
    assertFalse(text("#headline").isBlank());
    assertTrue(text("#friends").contains("2 partners"), text("#friends"));
    assertTrue(text("#h-healthy").matches("\\d+"), text("#h-healthy"));
    assertTrue(text("[data-partner='p1']").contains("Theirs with you"), text("[data-partner='p1']"));
    assertTrue(text("[data-source='docs'] .last-backup").contains("never"));
  }

  @Test
  @Order(3)
  void backUpNow_makesASnapshot_shownWithoutAReload() throws Exception {
    browser.findElement(By.cssSelector("#dash-sources [data-source='docs'] .backup-now")).click();
    waitUpTo(60).until(d -> text("#dash-sources [data-source='docs'] .job").startsWith("done"));
    waitUpTo(10).until(d -> text("#dash-sources [data-source='docs'] .last-backup").contains("snapshot"));
    JsonNode snapshots = owner.json("snapshots");
    assertEquals(1, snapshots.size(), snapshots.toString());
    String shortId = snapshots.get(0).get("shortId").asText();
    assertTrue(text("#dash-sources [data-source='docs'] .last-backup").contains(shortId));
    String job = text("#dash-sources [data-source='docs'] .job");
    assertTrue(job.equals("done: snapshot " + shortId + " (" + (2 + MANY) + " files, 1.9 MiB)"), job);
    waitUpTo(10).until(d -> text("#dash-events").contains("BACKUP_DONE"));
    // a hostile file name in the snapshot is shown as text, and runs nothing
    browser.get(base + "#snapshots");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#snapshots-list a")).isEmpty());
    // the repository's figures, as `stats` gives them
    JsonNode stats = owner.json("stats");
    waitUpTo(10).until(d -> text("#repo-stats").startsWith("1 snapshot of 1 source"));
    assertTrue(text("#repo-stats").contains("hold " + stats.get("latestFiles").asLong() + " files"), text("#repo-stats"));
    browser.findElement(By.cssSelector("#snapshots-list a")).click();
    waitUpTo(10).until(d -> text("#tree-entries").contains(HOSTILE));
    assertTrue(browser.findElements(By.cssSelector("#tree-entries img")).isEmpty());
    assertFalse(browser.getTitle().contains("pwned"));
    // a file is a download link: the browser saves the snapshot's bytes, read from the partners' shards
    browser.findElements(By.cssSelector("#tree-entries a")).stream().filter(a -> a.getText().equals("docs/"))
        .findFirst().orElseThrow().click();
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#tree-entries a.download")).isEmpty());
    browser.findElement(By.cssSelector("#tree-entries a.download")).click();
    Path saved = dir.resolve("downloads/data.bin");
    waitUpTo(60).until(d -> Files.isRegularFile(saved) && saved.toFile().length() == 2_000_000);
    assertArrayEquals(Files.readAllBytes(dir.resolve("src/docs/data.bin")), Files.readAllBytes(saved));
  }

  @Test
  @Order(4)
  void aKilledPartner_turnsUnreachableOnTheDashboard() throws Exception {
    browser.get(base + "#dashboard");
    waitUpTo(20).until(d -> text("[data-partner='p2'] .status").equals("ok"));
    long start = System.nanoTime();
    p2.kill();
    waitUpTo(30).until(d -> text("[data-partner='p2'] .status").equals("unreachable"));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds <= 15, "shown unreachable after " + seconds + " s");
    assertEquals("ok", text("[data-partner='p1'] .status"));
    waitUpTo(10).until(d -> text("#findings").contains("p2"));
    System.out.printf("WebUiIT: p2 shown unreachable %.1f s after it was killed%n", seconds);
  }

  @Test
  @Order(5)
  void onAPhone_theCardsStackInOneColumn() {
    browser.manage().window().setSize(new Dimension(390, 844));
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#dash-partners .card")).size() == 2);
    List<WebElement> cards = browser.findElements(By.cssSelector("#dash-partners .card"));
    assertEquals(cards.get(0).getLocation().getX(), cards.get(1).getLocation().getX());
    assertTrue(cards.get(1).getLocation().getY() > cards.get(0).getLocation().getY());
    JavascriptExecutor js = (JavascriptExecutor) browser;
    int width = ((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue();
    int viewport = ((Number) js.executeScript("return document.documentElement.clientWidth")).intValue();
    Object wide = js.executeScript("return [...document.querySelectorAll('body *')].filter(e => "
        + "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' "
        + "+ e.className + '#' + e.id).slice(0, 5).join(', ')");
    assertTrue(width <= viewport + 1, "no sideways scrolling on a phone: the page is " + width + " px wide in "
        + viewport + " px; too wide: " + wide);
    assertNotNull(text("#headline"));
  }

  @Test
  @Order(6)
  void aNewToken_logsTheBrowserOut_andOnlyTheNewLinkLogsItIn() throws Exception {
    browser.manage().window().setSize(new Dimension(1200, 900));
    browser.get(base + "#dashboard");
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok")); // logged in by the cookie

    JsonNode ui = owner.json("ui", "--new-token");
    assertTrue(ui.get("newToken").asBoolean(), ui.toString());
    String renewed = ui.get("url").asText();
    assertFalse(renewed.equals(login), renewed);
    assertTrue(renewed.startsWith(base + "?token="), renewed);

    browser.get(base);
    String page = browser.findElement(By.tagName("body")).getText();
    assertTrue(page.contains("needs the UI's login link"), "the old cookie no longer works: " + page);
    assertFalse(page.contains("p1"), page);
    browser.get(login);
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("needs the UI's login link"),
        "nor does the old link");
    browser.get(renewed);
    assertEquals(base, browser.getCurrentUrl());
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok"));
  }

  @Test
  @Order(7)
  void aLargeDirectory_isShownAPageAtATime() {
    browser.get(base + "#snapshots");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#snapshots-list a")).isEmpty());
    browser.findElement(By.cssSelector("#snapshots-list a")).click();
    waitUpTo(10).until(d -> text("#tree-entries").contains("many/"));
    browser.findElements(By.cssSelector("#tree-entries a")).stream().filter(a -> a.getText().equals("many/"))
        .findFirst().orElseThrow().click();
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#tree-entries tr.entry")).size() == 500);
    WebElement more = browser.findElement(By.cssSelector("#tree-entries .more-entries"));
    assertEquals("Show more (500 of " + MANY + " shown)", more.getText());
    more.click();
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#tree-entries tr.entry")).size() == MANY);
    assertTrue(browser.findElements(By.cssSelector("#tree-entries .more-entries")).isEmpty());
    assertTrue(text("#tree-entries").contains(String.format("f%04d.txt", MANY - 1)));
  }

  @Test
  @Order(8)
  void logOut_endsThisBrowsersLoginAlone() throws Exception {
    // a second browser, logged in by the same link over plain HTTP
    String link = owner.json("ui").get("url").asText();
    java.net.http.HttpClient other = java.net.http.HttpClient.newBuilder()
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    String set = other.send(java.net.http.HttpRequest.newBuilder(URI.create(link)).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).headers().firstValue("Set-Cookie").orElseThrow();
    String otherCookie = set.substring(0, set.indexOf(';'));

    browser.get(base + "#dashboard");
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok"));
    browser.findElement(By.id("logout")).click();
    waitUpTo(10).until(d -> d.findElement(By.tagName("body")).getText().contains("needs the UI's login link"));
    assertTrue(browser.manage().getCookieNamed("selfstorage_ui") == null, "the browser dropped its cookie");
    browser.get(base);
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("needs the UI's login link"));

    int status = other.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "api/status"))
        .header("Cookie", otherCookie).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    assertEquals(200, status, "the other browser stays logged in");
    browser.get(link); // the link still logs in
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok"));
  }

  @Test
  @Order(9)
  void aLocalStore_getsACardWithWhatItHolds() throws Exception {
    browser.get(base + "#dashboard");
    waitUpTo(20).until(d -> text("[data-partner='p1'] .status").equals("ok"));
    assertFalse(browser.findElement(By.id("stores-section")).isDisplayed(), "no local store: no section");
    Path usb = dir.resolve("usb-disk");
    owner.ok("store", "add", usb.toString(), "--site", "usb", "--name", "usb1");
    waitUpTo(30).until(d -> !d.findElements(By.cssSelector("#dash-stores [data-store='usb1']")).isEmpty());
    assertTrue(browser.findElement(By.id("stores-section")).isDisplayed());
    String card = text("#dash-stores [data-store='usb1']");
    assertTrue(card.contains("site usb") && card.contains(usb.toString()) && card.contains("0 shards"), card);
    assertEquals("ok", text("#dash-stores [data-store='usb1'] .status"));
    assertTrue(browser.findElements(By.cssSelector("#dash-stores [data-store='p1']")).isEmpty(),
        "partners are not drawn as stores");
  }
}
