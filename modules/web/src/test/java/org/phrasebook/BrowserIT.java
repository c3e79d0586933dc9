package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestBrowser;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * The pages in a browser, against the shared test server and database: headless Chromium when
 * installed, else HtmlUnit ({@link TestBrowser} says which). One browser serves the whole class.
 * Every test runs on both; the few checks only a real browser can make run on Chromium alone,
 * and HtmlUnit runs log each one it left out.
 */
class BrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final Http http = TestServer.http();
    private static TestBrowser browser;
    private static WebDriver driver;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = TestBrowser.start();
        driver = browser.driver();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.stop();
        }
    }

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void typingAPhraseAndClickingAddShowsItHighlightedAndAReloadAddsNothing() {
        String typed = "Hola desde el navegador ñ";
        String phrase = typed + " 😀";
        open("/");
        WebElement field = driver.findElement(By.id("text"));
        if (browser.isChromium()) {
            // chromedriver's sendKeys only types characters of the Basic Multilingual Plane, so the
            // emoji (U+1F600, a surrogate pair) goes into the field through the DOM after the typed part.
            field.sendKeys(typed);
            script("arguments[0].value += arguments[1]", field, " 😀");
        } else {
            field.sendKeys(phrase);
        }
        assertThat(field.getDomProperty("value")).isEqualTo(phrase);
        driver.findElement(By.cssSelector("form.add button[type=submit]")).click();

        long id = waitForAddedPage();
        // The form's hidden "lang" field carries the page's language, so the server may keep it.
        assertThat(driver.getCurrentUrl()).isIn(http.origin() + "/?added=" + id, http.origin() + "/?added=" + id + "&lang=en");
        String confirmationUrl = driver.getCurrentUrl();
        assertThat(driver.findElement(By.cssSelector("p.confirmation")).getText()).isEqualTo("«" + phrase + "» added");
        WebElement highlighted = driver.findElement(By.cssSelector("li.new#added"));
        assertThat(highlighted.findElement(By.cssSelector(".number")).getText()).isEqualTo("#" + id);
        assertThat(highlighted.findElement(By.cssSelector(".text")).getText()).isEqualTo(phrase);
        browser.chromiumOnly("the highlight's colour (HtmlUnit does not resolve var(--new))", () ->
                assertThat(highlighted.getCssValue("background-color")).as("highlighted with --new")
                        .isEqualTo("rgba(255, 245, 204, 1)"));
        assertThat(driver.findElements(By.cssSelector("ol.phrases li"))).hasSize(1);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly(phrase);

        driver.navigate().refresh();
        assertThat(driver.getCurrentUrl()).isEqualTo(confirmationUrl);
        assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo(phrase);
        assertThat(TestDatabase.get().phraseTexts()).as("a reload of the confirmation adds nothing").containsExactly(phrase);
    }

    @Test
    void theFormWorksWithJavaScriptOffAndTheStylesheetIsNotBlockedByTheContentSecurityPolicy() {
        if (browser.isChromium()) {
            browserLog(); // drop what earlier pages logged
        }
        open("/");

        // The page's one script is /static/live.js, no inline script or handler; its stylesheet is applied.
        assertThatTheOnlyScriptIsLiveJs();
        assertThat(script("return Array.from(document.querySelectorAll('*')).flatMap(e => "
                + "Array.from(e.attributes)).filter(a => a.name.startsWith('on')).length")).isEqualTo(0L);
        assertThat((List<?>) script("return Array.from(document.styleSheets).map(s => {"
                + " try { return s.href + ' ' + s.cssRules.length; } catch (e) { return s.href + ' unreadable: ' + e; } })"))
                .singleElement().asString().matches(http.origin() + "/static/style\\.css [1-9][0-9]*");
        assertThat(driver.findElement(By.cssSelector("header")).getCssValue("display")).isEqualTo("flex");
        browser.chromiumOnly("the button's colour (HtmlUnit does not resolve var(--accent))", () ->
                assertThat(driver.findElement(By.cssSelector("form.add button[type=submit]")).getCssValue("background-color"))
                        .isEqualTo("rgba(43, 89, 195, 1)")); // #2b59c3
        browser.chromiumOnly("that the CSP is enforced and reported in the console (HtmlUnit runs inline"
                + " script and has no console log)", () -> {
            assertThat(browserLog()).as("console of a page load").noneMatch(BrowserIT::isCspViolation);
            script("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
                    + " document.head.appendChild(s);");
            assertThat(script("return window.inlineRan === true")).as("an inline script is refused").isEqualTo(false);
            assertThat(browserLog()).as("console after an inline script").anyMatch(BrowserIT::isCspViolation);
        });

        // With JavaScript switched off before the page loads, the form still adds a phrase.
        browser.withJavaScriptOff(() -> {
            open("/");
            driver.findElement(By.id("text")).sendKeys("Sin JavaScript");
            driver.findElement(By.cssSelector("form.add button[type=submit]")).click();
            long id = waitForAddedPage();
            assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo("Sin JavaScript");
            assertThat(TestDatabase.get().phraseTexts()).containsExactly("Sin JavaScript");
            assertThat(id).isPositive();
        });
        browser.chromiumOnly("a console without CSP violations after an add", () ->
                assertThat(browserLog()).as("console of the add and its confirmation").noneMatch(BrowserIT::isCspViolation));
    }

    /** The newest page's one script: same-origin, empty-bodied; no phrase ever becomes one. */
    private static void assertThatTheOnlyScriptIsLiveJs() {
        assertThat((List<?>) script("return Array.from(document.scripts).map(s => s.src + ' ' + s.text.length)"))
                .singleElement().asString().isEqualTo(http.origin() + "/static/live.js 0");
    }

    @Test
    void markupIsStoredAndShownAsTextAndNeverRuns() {
        String markup = "<script>alert(1)</script>";
        open("/");
        driver.findElement(By.id("text")).sendKeys(markup);
        driver.findElement(By.cssSelector("form.add button[type=submit]")).click();

        waitForAddedPage();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo(markup);
        assertThat(driver.findElement(By.cssSelector("p.confirmation")).getText()).isEqualTo("«" + markup + "» added");
        assertThatTheOnlyScriptIsLiveJs();
        assertThat(TestDatabase.get().phraseTexts()).containsExactly(markup);
    }

    @Test
    void anEmptyOrBlankFieldIsStoppedByTheBrowserAndRefusedByTheServer() {
        open("/");
        WebElement button = driver.findElement(By.cssSelector("form.add button[type=submit]"));

        // Empty: the browser's "required" keeps the form from being sent.
        button.click();
        assertThat(driver.getCurrentUrl()).isEqualTo(http.origin() + "/");
        assertThat(script("return document.getElementById('text').validity.valueMissing")).isEqualTo(true);

        // Spaces only: the pattern (at least one non-space) keeps the form from being sent too.
        driver.findElement(By.id("text")).sendKeys("   ");
        button.click();
        assertThat(driver.getCurrentUrl()).isEqualTo(http.origin() + "/");
        assertThat(script("return document.getElementById('text').validity.patternMismatch")).isEqualTo(true);

        // A browser that skips those checks reaches the server, which refuses the phrase.
        script("document.querySelector('form.add').noValidate = true; return null");
        button.click();
        waitFor("the error page", () -> driver.getCurrentUrl().equals(http.origin() + "/phrases"));
        assertThat(browser.responseStatus()).isEqualTo(400L);
        assertThat(driver.getTitle()).isEqualTo("400 · The phrase is empty");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("The phrase is empty");
        assertThat(driver.findElement(By.cssSelector("p.problem")).getText())
                .isEqualTo("Type at least one character that is not a space.");
        assertThat(driver.findElement(By.cssSelector("p.problem")).getCssValue("background-color"))
                .as("the error page is styled too").isEqualTo("rgba(252, 232, 230, 1)");
        assertThat(driver.findElements(By.id("text"))).as("the form comes back for another try").hasSize(1);
        assertThat(TestDatabase.get().phraseTexts()).isEmpty();
    }

    @Test
    void inSpanishTheFormAndTheConfirmationAreSpanish() {
        open("/?lang=es");
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("es");
        assertThat(driver.findElement(By.cssSelector("form.add button[type=submit]")).getText()).isEqualTo("Añadir");
        assertThat(driver.findElement(By.cssSelector("label[for=text]")).getText()).isEqualTo("Tu frase");
        assertThat(driver.findElement(By.cssSelector("p.empty")).getText()).isEqualTo("Todavía no hay frases. ¡Añade la primera!");

        driver.findElement(By.id("text")).sendKeys("Buenos días, señora");
        driver.findElement(By.cssSelector("form.add button[type=submit]")).click();

        long id = waitForAddedPage();
        assertThat(driver.getCurrentUrl()).isEqualTo(http.origin() + "/?added=" + id + "&lang=es");
        assertThat(driver.findElement(By.cssSelector("p.confirmation")).getText()).isEqualTo("«Buenos días, señora» añadida");
        assertThat(driver.findElement(By.cssSelector("form.add button[type=submit]")).getText()).isEqualTo("Añadir");
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Buenos días, señora");

        // The language links switch back.
        driver.findElement(By.cssSelector("nav.langs a[hreflang=en]")).click();
        waitFor("the English page", () -> driver.getCurrentUrl().equals(http.origin() + "/?lang=en"));
        assertThat(driver.findElement(By.cssSelector("form.add button[type=submit]")).getText()).isEqualTo("Add");
    }

    @Test
    void openingAPhraseInTheAddressBarAddsItAndLandsOnTheConfirmation() {
        open("/Gracias");

        long id = waitForAddedPage();
        assertThat(driver.getCurrentUrl()).isEqualTo(http.origin() + "/?added=" + id);
        assertThat(driver.findElement(By.cssSelector("p.confirmation")).getText()).isEqualTo("«Gracias» added");
        assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo("Gracias");
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Gracias");
    }

    private static void open(String path) {
        driver.get(http.origin() + path);
    }

    private static Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits for {@code /?added=<id>} (with any further parameters) and returns the id. */
    private static long waitForAddedPage() {
        String prefix = http.origin() + "/?added=";
        waitFor("a confirmation page " + prefix + "<id>", () -> driver.getCurrentUrl().startsWith(prefix));
        if (browser.isChromium()) {
            // HtmlUnit has loaded the page before click() returns (and may have no JavaScript to ask).
            waitFor("the page to load", () -> "complete".equals(script("return document.readyState")));
        }
        return Long.parseLong(driver.getCurrentUrl().substring(prefix.length()).replaceAll("&.*$", ""));
    }

    private static void waitFor(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("Waited " + WAIT.toSeconds() + " s for " + what + "; the browser is at " + driver.getCurrentUrl());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The console lines since the last call (Chromium only: HtmlUnit keeps no console log). */
    private static List<String> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    private static boolean isCspViolation(String consoleLine) {
        return consoleLine.contains("Content Security Policy");
    }
}
