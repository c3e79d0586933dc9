package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * The pages in a real browser: Debian's headless chromium driven through Debian's
 * chromedriver, against the shared test server and database. One browser serves the
 * whole class; Selenium is given both executables, so Selenium Manager never runs and
 * nothing is downloaded.
 */
class BrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final Http http = TestServer.http();
    private static final List<String> driverFinderLog = new ArrayList<>();
    // Held here: java.util.logging keeps loggers only weakly, and with them the level and handler.
    private static final Logger driverFinderLogger = Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
    private static Path userDataDir;
    private static ChromeDriverService service;
    private static ChromeDriver driver;

    @BeforeAll
    static void startBrowser() throws IOException {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                fail(executable + " is missing; the browser tests need Debian's chromium and chromedriver: " + INSTALL_HINT);
            }
        }
        watchDriverFinder();
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        userDataDir = Files.createTempDirectory("phrasebook-chromium");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + userDataDir, "--lang=en-US");
        // English unless a test asks for Spanish, whatever the machine's locale.
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));

        assertThat(driverFinderLog)
                .as("Selenium must use the given chromedriver, never Selenium Manager (which downloads)")
                .anyMatch(line -> line.startsWith("Skipping Selenium Manager"))
                .noneMatch(line -> line.contains("Selenium Manager set by") || line.contains("Unable to obtain"));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            if (userDataDir != null) {
                try (Stream<Path> files = Files.walk(userDataDir)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void typingAPhraseAndClickingAddShowsItHighlightedAndAReloadAddsNothing() {
        // chromedriver's sendKeys only types characters of the Basic Multilingual Plane, so the
        // emoji (U+1F600, a surrogate pair) goes into the field through the DOM after the typed part.
        String typed = "Hola desde el navegador ñ";
        String phrase = typed + " 😀";
        open("/");
        WebElement field = driver.findElement(By.id("text"));
        field.sendKeys(typed);
        script("arguments[0].value += arguments[1]", field, " 😀");
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
        assertThat(highlighted.getCssValue("background-color")).as("highlighted with --new").isEqualTo("rgba(255, 245, 204, 1)");
        assertThat(driver.findElements(By.cssSelector("ol.phrases li"))).hasSize(1);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly(phrase);

        driver.navigate().refresh();
        assertThat(driver.getCurrentUrl()).isEqualTo(confirmationUrl);
        assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo(phrase);
        assertThat(TestDatabase.get().phraseTexts()).as("a reload of the confirmation adds nothing").containsExactly(phrase);
    }

    @Test
    void theFormWorksWithJavaScriptOffAndTheStylesheetIsNotBlockedByTheContentSecurityPolicy() {
        browserLog(); // drop what earlier pages logged
        open("/");

        // The page carries no script at all and its stylesheet is applied.
        assertThat(script("return document.scripts.length")).isEqualTo(0L);
        assertThat(script("return Array.from(document.querySelectorAll('*')).flatMap(e => "
                + "Array.from(e.attributes)).filter(a => a.name.startsWith('on')).length")).isEqualTo(0L);
        assertThat((List<?>) script("return Array.from(document.styleSheets).map(s => {"
                + " try { return s.href + ' ' + s.cssRules.length; } catch (e) { return s.href + ' unreadable: ' + e; } })"))
                .singleElement().asString().matches(http.origin() + "/static/style\\.css [1-9][0-9]*");
        WebElement button = driver.findElement(By.cssSelector("form.add button[type=submit]"));
        assertThat(button.getCssValue("background-color")).isEqualTo("rgba(43, 89, 195, 1)"); // --accent, #2b59c3
        assertThat(driver.findElement(By.cssSelector("header")).getCssValue("display")).isEqualTo("flex");
        assertThat(browserLog()).as("console of a page load").noneMatch(BrowserIT::isCspViolation);

        // The CSP is enforced and a violation would show in the console: an inline script is refused.
        script("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
                + " document.head.appendChild(s);");
        assertThat(script("return window.inlineRan === true")).isEqualTo(false);
        assertThat(browserLog()).as("console after an inline script").anyMatch(BrowserIT::isCspViolation);

        // With the page's JavaScript switched off, the form still adds a phrase.
        open("/");
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            driver.findElement(By.id("text")).sendKeys("Sin JavaScript");
            driver.findElement(By.cssSelector("form.add button[type=submit]")).click();
            long id = waitForAddedPage();
            assertThat(driver.findElement(By.cssSelector("li.new#added .text")).getText()).isEqualTo("Sin JavaScript");
            assertThat(TestDatabase.get().phraseTexts()).containsExactly("Sin JavaScript");
            assertThat(id).isPositive();
        } finally {
            driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
        }
        assertThat(browserLog()).as("console of the add and its confirmation").noneMatch(BrowserIT::isCspViolation);
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
        assertThat(script("return document.scripts.length")).isEqualTo(0L);
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
        assertThat(script("return performance.getEntriesByType('navigation')[0].responseStatus")).isEqualTo(400L);
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
        waitFor("the page to load", () -> "complete".equals(script("return document.readyState")));
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

    /** The console lines since the last call. */
    private static List<String> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    private static boolean isCspViolation(String consoleLine) {
        return consoleLine.contains("Content Security Policy");
    }

    /** Records what Selenium's DriverFinder says, to prove it skipped Selenium Manager. */
    private static void watchDriverFinder() {
        driverFinderLogger.setLevel(Level.FINE);
        driverFinderLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (driverFinderLog) {
                    driverFinderLog.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
