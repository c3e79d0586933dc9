package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.ScriptException;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.DefaultJavaScriptErrorListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestBrowser;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * Live updates in a browser (issue 8): two visitors on the list, a phrase added by one appears
 * on top of the other's page without a reload, as text, and after a cut stream exactly once.
 * Headless Chromium when installed, else HtmlUnit, as in {@link BrowserIT}. HtmlUnit's
 * {@code EventSource} is a stub that never connects (HtmlUnit 4.x and 5.x: an empty host
 * object), so what only a stream can show runs on Chromium alone and HtmlUnit runs log it.
 */
class LiveBrowserIT {

    /** "Within a few seconds": an add reaches an open stream in milliseconds here. */
    private static final Duration LIVE = Duration.ofSeconds(10);
    /** A cut stream: the server asks for a reconnect after 2 s, plus an app start. */
    private static final Duration RECONNECT = Duration.ofSeconds(30);
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Pattern CREATED_AT = Pattern.compile("\"createdAt\"\\s*:\\s*\"([^\"]+)\"");
    /**
     * Chromium only, before any page script: records every EventSource a page makes, its opens,
     * errors and the ids of the events it receives. live.js dedupes by id in the DOM, so only
     * this shows whether the server sent a phrase twice. Injected over CDP, which the page's CSP
     * does not govern; the subclass only adds listeners, so live.js runs as it would.
     */
    private static final String PROBE = """
            (() => {
              const Native = window.EventSource;
              const probe = window.liveProbe = { created: 0, opens: 0, errors: 0, ids: [], state: -1 };
              window.EventSource = class extends Native {
                constructor(url, init) {
                  super(url, init);
                  probe.created++;
                  probe.url = String(url);
                  const update = () => { probe.state = this.readyState; };
                  update();
                  this.addEventListener("open", () => { probe.opens++; update(); });
                  this.addEventListener("error", () => { probe.errors++; update(); });
                  this.addEventListener("message", (event) => { probe.ids.push(event.lastEventId); update(); });
                }
              };
            })();
            """;

    private static final Http http = TestServer.http();
    // Two browser sessions rather than two windows of one driver: two visitors share nothing
    // (connections, cookies, cache), each session's console log is that window's alone, and a
    // driver talks to one window at a time, so two windows of one would need switching back
    // and forth between every check.
    private static Window adder;
    private static Window watcher;

    @BeforeAll
    static void startBrowsers() throws IOException {
        adder = new Window("window 1", TestBrowser.start());
        watcher = new Window("window 2", TestBrowser.start());
    }

    @AfterAll
    static void stopBrowsers() throws IOException {
        try {
            if (adder != null) {
                adder.browser.stop();
            }
        } finally {
            if (watcher != null) {
                watcher.browser.stop();
            }
        }
    }

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @AfterEach
    void closeStreams() {
        // A page left open would keep its stream through the next test's table reset.
        adder.driver.get("about:blank");
        watcher.driver.get("about:blank");
    }

    @Test
    void aPhraseAddedInOneWindowAppearsOnTopOfTheOtherWithoutAReloadInTheServersMarkup() {
        long older = Http.addedId(http.postJson("{\"text\":\"Una frase de antes\"}"));
        adder.open(http, "/");
        watcher.open(http, "/");
        for (Window window : List.of(adder, watcher)) {
            WebElement list = window.driver.findElement(By.cssSelector("ol.phrases"));
            assertThat(list.getDomAttribute("data-live-after")).as("the newest id on " + window.name).isEqualTo(String.valueOf(older));
            WebElement live = window.driver.findElement(By.cssSelector("script"));
            assertThat(live.getDomAttribute("src")).isEqualTo("/static/live.js");
            assertThat(live.getDomAttribute("defer")).isNotNull();
        }
        watcher.browser.chromiumOnly("that window 2 has its stream open before window 1 adds", () -> watcher.waitForOpenStream(1));
        if (!watcher.browser.isChromium()) {
            // Why the live checks are Chromium's: should HtmlUnit's EventSource ever connect, this says so.
            assertThat(watcher.script("return String(new EventSource('/api/phrases/stream?after=0').readyState)"))
                    .as("HtmlUnit's EventSource, a stub without readyState").isEqualTo("undefined");
        }
        watcher.markAsNotReloaded();

        String phrase = "En vivo desde otra ventana ñ";
        adder.driver.findElement(By.id("text")).sendKeys(phrase);
        adder.driver.findElement(By.cssSelector("form.add button[type=submit]")).click();
        long id = adder.waitForAddedPage(http);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Una frase de antes", phrase);

        watcher.browser.chromiumOnly("that the phrase appears live in window 2 (HtmlUnit's EventSource never connects)", () -> {
            watcher.waitFor("#" + id + " on top of window 2's list", LIVE, () -> watcher.listIds().equals(List.of(id, older)));
            assertThat(watcher.wasNotReloaded()).as("window 2 was not reloaded").isTrue();
            assertThat(watcher.driver.findElements(By.cssSelector("p.empty"))).isEmpty();
            WebElement item = watcher.item(id);
            assertThat(item.findElement(By.cssSelector(".number")).getDomProperty("textContent")).isEqualTo("#" + id);
            assertThat(item.findElement(By.cssSelector(".text")).getDomProperty("textContent")).isEqualTo(phrase);
            String createdAt = createdAt(id);
            WebElement time = item.findElement(By.tagName("time"));
            assertThat(time.getDomAttribute("datetime")).isEqualTo(createdAt);
            assertThat(time.getDomProperty("textContent")).isEqualTo(createdAt.substring(0, 10) + " " + createdAt.substring(11, 16) + " UTC");
            String liveMarkup = watcher.markup(item);

            watcher.driver.navigate().refresh();
            assertThat(watcher.listIds()).isEqualTo(List.of(id, older));
            assertThat(watcher.markup(watcher.item(id))).as("the live item against the server's rendering after a reload")
                    .isEqualTo(liveMarkup);
            assertThat(watcher.probe().get("ids")).as("events window 2 received").isEqualTo(List.of());
        });
        // Whatever the browser, a reload shows the phrase as the server renders it.
        watcher.driver.navigate().refresh();
        assertThat(watcher.listIds()).isEqualTo(List.of(id, older));
        assertThat(watcher.item(id).findElement(By.cssSelector(".text")).getText()).isEqualTo(phrase);
        assertThat(watcher.scriptErrors()).as("script errors and CSP violations in window 2").isEmpty();
        assertThat(adder.scriptErrors()).as("script errors and CSP violations in window 1").isEmpty();
    }

    @Test
    void markupAddedLiveIsShownAsTextAndNothingRunsOrIsBlocked() {
        watcher.open(http, "/");
        assertThat(watcher.driver.findElement(By.cssSelector("ol.phrases")).getDomAttribute("data-live-after")).isEqualTo("0");
        assertThat(watcher.driver.findElements(By.cssSelector("p.empty"))).hasSize(1);
        watcher.browser.chromiumOnly("that window 2 has its stream open before window 1 adds", () -> watcher.waitForOpenStream(1));

        adder.open(http, "/");
        adder.driver.findElement(By.id("text")).sendKeys(HOSTILE);
        adder.driver.findElement(By.cssSelector("form.add button[type=submit]")).click();
        long id = adder.waitForAddedPage(http);
        assertThat(adder.driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo(HOSTILE);

        watcher.browser.chromiumOnly("that markup added live is shown as text (HtmlUnit's EventSource never connects)", () -> {
            watcher.waitFor("#" + id + " in window 2", LIVE, () -> watcher.listIds().contains(id));
            assertThat(watcher.driver.findElements(By.cssSelector("ol.phrases img"))).as("img elements in the list").isEmpty();
            assertThat(watcher.script("return document.images.length")).isEqualTo(0L);
            assertThat(watcher.item(id).findElement(By.cssSelector(".text")).getDomProperty("textContent")).isEqualTo(HOSTILE);
            assertThat(watcher.item(id).findElement(By.cssSelector(".text")).getText()).isEqualTo(HOSTILE);
            assertThat(watcher.listIds()).isEqualTo(List.of(id));
            assertThat(watcher.driver.findElements(By.cssSelector("p.empty"))).as("the empty-list note goes").isEmpty();
            assertThatThrownBy(() -> watcher.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

            // The page goes on working after it: the next phrase arrives too, above it.
            long next = Http.addedId(http.postJson("{\"text\":\"Y la siguiente\"}"));
            watcher.waitFor("#" + next + " on top of window 2's list", LIVE, () -> watcher.listIds().equals(List.of(next, id)));
            assertThatThrownBy(() -> watcher.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            // An <img src=x> that loaded would have asked for /x, and a GET of /x adds the phrase "x".
            assertThat(TestDatabase.get().phraseTexts()).containsExactly(HOSTILE, "Y la siguiente");
        });
        assertThat(watcher.scriptErrors()).as("script errors and CSP violations in window 2").isEmpty();
        assertThat(adder.scriptErrors()).as("script errors and CSP violations in window 1").isEmpty();
    }

    @Test
    void searchAndOlderPagesLoadNoScriptAndStayAsTheyAreWhileALivePageGetsTheAdd() {
        long first = Http.addedId(http.postJson("{\"text\":\"Buenos días\"}"));
        long second = Http.addedId(http.postJson("{\"text\":\"Buenas noches\"}"));
        // Window 1 is the live page that shows when an add has reached the browsers.
        adder.open(http, "/");
        adder.browser.chromiumOnly("that the live window has its stream open", () -> adder.waitForOpenStream(1));

        for (String path : List.of("/?q=buen", "/?before=" + second)) {
            watcher.open(http, path);
            List<Long> shown = watcher.listIds();
            assertThat(shown).as(path).isEqualTo(path.contains("q=") ? List.of(second, first) : List.of(first));
            assertThat(watcher.driver.findElements(By.tagName("script"))).as("script elements on " + path).isEmpty();
            assertThat(watcher.driver.findElements(By.cssSelector("[data-live-after]"))).as(path).isEmpty();
            String before = watcher.driver.findElement(By.cssSelector("ol.phrases")).getDomProperty("outerHTML");

            long added = Http.addedId(http.postJson("{\"text\":\"Buen provecho " + path + "\"}"));
            adder.browser.chromiumOnly("that " + path + " stays as it is while a live page shows the add", () -> {
                adder.waitFor("#" + added + " on the live page", LIVE, () -> adder.listIds().get(0) == added);
                assertThat(watcher.driver.findElement(By.cssSelector("ol.phrases")).getDomProperty("outerHTML")).as(path)
                        .isEqualTo(before);
                assertThat(watcher.probe().get("created")).as("EventSources made by " + path).isEqualTo(0L);
            });
            assertThat(watcher.listIds()).as(path).isEqualTo(shown);
            assertThat(watcher.scriptErrors()).as("script errors and CSP violations on " + path).isEmpty();
        }
    }

    @Test
    void aPhraseAddedWhileTheStreamIsCutArrivesOnceAfterTheReconnect() {
        if (!watcher.browser.isChromium()) {
            watcher.browser.chromiumOnly("that a phrase added while the stream is cut arrives once after the"
                    + " reconnect (HtmlUnit's EventSource never connects)", () -> { });
            return;
        }
        // The shared server must stay up, so window 2 watches an instance of its own, on the
        // same database; stopping it ends its streams as a deploy would.
        Application own = TestServer.start(TestDatabase.get().environment());
        boolean ownClosed = false;
        Application again = null;
        try {
            int port = own.port();
            Http ownHttp = new Http(port);
            long first = Http.addedId(http.postJson("{\"text\":\"Antes del corte\"}"));
            watcher.open(ownHttp, "/");
            watcher.waitForOpenStream(1);
            watcher.markAsNotReloaded();
            long live = Http.addedId(http.postJson("{\"text\":\"Por el otro servidor\"}"));
            watcher.waitFor("#" + live + " from the shared server", LIVE, () -> watcher.listIds().equals(List.of(live, first)));

            own.close();
            ownClosed = true;
            watcher.waitFor("window 2 to see its stream end", LIVE, () -> ((Number) watcher.probe().get("errors")).intValue() >= 1);
            long whileCut = Http.addedId(http.postJson("{\"text\":\"Mientras tanto\"}"));
            // Jetty binds with SO_REUSEADDR, so the port the stopped instance freed is free again at once.
            again = TestServer.start(withPort(port));
            assertThat(again.port()).isEqualTo(port);

            watcher.waitFor("#" + whileCut + " after the reconnect", RECONNECT,
                    () -> watcher.listIds().equals(List.of(whileCut, live, first)));
            long after = Http.addedId(http.postJson("{\"text\":\"Después del corte\"}"));
            watcher.waitFor("#" + after + " live again", LIVE, () -> watcher.listIds().equals(List.of(after, whileCut, live, first)));

            Map<String, Object> probe = watcher.probe();
            assertThat(probe.get("ids")).as("events window 2 received, each once")
                    .isEqualTo(List.of(String.valueOf(live), String.valueOf(whileCut), String.valueOf(after)));
            assertThat(probe.get("created")).as("EventSources made by live.js (the browser reconnects the same one)").isEqualTo(1L);
            assertThat(((Number) probe.get("opens")).intValue()).as("opens: the first and at least one reconnect").isGreaterThanOrEqualTo(2);
            assertThat(probe.get("state")).as("readyState at the end: OPEN").isEqualTo(1L);
            assertThat(watcher.wasNotReloaded()).as("window 2 was not reloaded").isTrue();
            assertThat(watcher.scriptErrors()).as("script errors and CSP violations in window 2 (failed reconnects aside)").isEmpty();
        } finally {
            watcher.driver.get("about:blank");
            if (!ownClosed) {
                own.close();
            }
            if (again != null) {
                again.close();
            }
        }
    }

    @Test
    void aVisitorCanOpenTheLivePageMoreTimesThanTheBrowserKeepsConnectionsToAHost() throws IOException {
        // Chromium opens at most 6 HTTP/1.1 connections to a host. A live page left for another
        // must not keep its stream's (the back/forward cache keeps pages it may show again).
        // A browser of its own: one that ran out of connections would stall the other tests.
        TestBrowser fresh = TestBrowser.start();
        try {
            Window visitor = new Window("window 3", fresh);
            Duration load = Duration.ofSeconds(10);
            visitor.driver.manage().timeouts().pageLoadTimeout(load);
            for (int page = 1; page <= 8; page++) {
                try {
                    visitor.open(http, page % 2 == 0 ? "/" : "/?lang=es");
                } catch (TimeoutException stalled) {
                    fail("Page load " + page + " of the live list did not finish in " + load.toSeconds() + " s: the"
                            + " streams of the pages left behind hold the browser's connections to the host", stalled);
                }
                assertThat(visitor.driver.findElements(By.cssSelector("ol.phrases[data-live-after]"))).as("page " + page).hasSize(1);
            }
        } finally {
            fresh.stop();
        }
    }

    private static Map<String, String> withPort(int port) {
        Map<String, String> env = new HashMap<>(TestDatabase.get().environment());
        env.put("PORT", String.valueOf(port));
        return env;
    }

    /** The phrase's {@code createdAt} as the API gives it, which is what the stream sends. */
    private static String createdAt(long id) {
        String body = http.get("/api/phrases/" + id).body();
        Matcher match = CREATED_AT.matcher(body);
        assertThat(match.find()).as("createdAt in " + body).isTrue();
        return match.group(1);
    }

    /** One visitor's browser: its own session, pages, console log and (on HtmlUnit) script errors. */
    private static final class Window {

        final String name;
        final TestBrowser browser;
        final WebDriver driver;
        private final List<String> htmlUnitErrors = Collections.synchronizedList(new ArrayList<>());

        Window(String name, TestBrowser browser) {
            this.name = name;
            this.browser = browser;
            this.driver = browser.driver();
            if (driver instanceof ChromeDriver chrome) {
                chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            } else {
                ((HtmlUnitDriver) driver).getWebClient().setJavaScriptErrorListener(new DefaultJavaScriptErrorListener() {
                    @Override
                    public void scriptException(HtmlPage page, ScriptException e) {
                        htmlUnitErrors.add(page.getUrl() + ": " + e.getMessage());
                    }
                });
            }
        }

        void open(Http server, String path) {
            driver.get(server.origin() + path);
        }

        Object script(String js, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(js, args);
        }

        /** The ids of the list's items, top first. */
        List<Long> listIds() {
            return driver.findElements(By.cssSelector("ol.phrases > li")).stream()
                    .map(li -> Long.parseLong(li.getDomAttribute("data-id"))).toList();
        }

        WebElement item(long id) {
            List<WebElement> items = driver.findElements(By.cssSelector("ol.phrases > li[data-id='" + id + "']"));
            assertThat(items).as("items #" + id + " in " + name).hasSize(1);
            return items.get(0);
        }

        /** The item's elements, attributes and texts, without the whitespace between elements. */
        String markup(WebElement item) {
            return (String) script("""
                    const describe = (e) => e.tagName.toLowerCase()
                        + Array.from(e.attributes).map((a) => ` ${a.name}="${a.value}"`).sort().join("")
                        + (e.children.length ? "[" + Array.from(e.children).map(describe).join(", ") + "]"
                                             : "{" + e.textContent + "}");
                    return describe(arguments[0]);""", item);
        }

        /** What {@link #PROBE} recorded on the current page (Chromium only). */
        @SuppressWarnings("unchecked")
        Map<String, Object> probe() {
            return (Map<String, Object>) script("return window.liveProbe");
        }

        void waitForOpenStream(int opens) {
            waitFor(opens + " open(s) of " + name + "'s stream", LIVE,
                    () -> ((Number) probe().get("opens")).intValue() >= opens && Long.valueOf(1).equals(probe().get("state")));
        }

        /** A flag on the page's window object, gone if the page is ever reloaded. */
        void markAsNotReloaded() {
            script("window.notReloaded = true; return null");
        }

        boolean wasNotReloaded() {
            return Boolean.TRUE.equals(script("return window.notReloaded === true"));
        }

        long waitForAddedPage(Http server) {
            String prefix = server.origin() + "/?added=";
            waitFor("a confirmation page " + prefix + "<id>", LIVE, () -> driver.getCurrentUrl().startsWith(prefix));
            if (browser.isChromium()) {
                waitFor("the page to load", LIVE, () -> "complete".equals(script("return document.readyState")));
            }
            return Long.parseLong(driver.getCurrentUrl().substring(prefix.length()).replaceAll("&.*$", ""));
        }

        /**
         * Script errors and CSP violations since the last call: Chromium's console lines at SEVERE
         * (an uncaught error, a refused script or connection), except a reconnect that found the
         * server down; HtmlUnit's script exceptions (it enforces no CSP and keeps no console).
         */
        List<String> scriptErrors() {
            if (!browser.isChromium()) {
                List<String> errors = List.copyOf(htmlUnitErrors);
                htmlUnitErrors.clear();
                return errors;
            }
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                            || entry.getMessage().contains("Content Security Policy"))
                    .map(LogEntry::getMessage)
                    .filter(line -> !line.contains("net::ERR_CONNECTION_REFUSED"))
                    .toList();
        }

        void waitFor(String what, Duration limit, Supplier<Boolean> condition) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!condition.get()) {
                if (System.nanoTime() > deadline) {
                    fail("Waited " + limit.toSeconds() + " s for " + what + "; " + name + " is at " + driver.getCurrentUrl()
                            + (browser.isChromium() ? " with " + probe() : ""));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
