package org.phrasebook.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.htmlunit.BrowserVersion;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.htmlunit.HtmlUnitDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser the browser tests drive, chosen the way {@link TestDatabase} chooses its database:
 * <ol>
 *   <li>the one named by {@code PHRASEBOOK_TEST_BROWSER} (or {@code -Dphrasebook.test.browser}):
 *       {@code chromium} or {@code htmlunit};</li>
 *   <li>headless Chromium through its driver, when Debian's {@code chromium} and
 *       {@code chromium-driver} are installed (the real browser is what the tests exercise);</li>
 *   <li>HtmlUnit with JavaScript on: pure Java from Maven Central, so a fresh machine needs nothing
 *       installed.</li>
 * </ol>
 * It logs which one it chose, and every check it could not make; no test is ever skipped for lack
 * of Chromium.
 */
public final class TestBrowser {

    public enum Kind { CHROMIUM, HTMLUNIT }

    private static final Logger log = LoggerFactory.getLogger(TestBrowser.class);
    private static final String VARIABLE = "PHRASEBOOK_TEST_BROWSER";
    private static final String PROPERTY = "phrasebook.test.browser";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INSTALL_HINT = "apt-get install -y chromium chromium-driver";
    // Held here: java.util.logging keeps loggers only weakly, and with them the level and handler.
    private static final java.util.logging.Logger driverFinderLogger =
            java.util.logging.Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");

    private final WebDriver driver;
    private final ChromeDriverService service;
    private final Path userDataDir;

    private TestBrowser(WebDriver driver, ChromeDriverService service, Path userDataDir) {
        this.driver = driver;
        this.service = service;
        this.userDataDir = userDataDir;
    }

    /** Chooses and starts a browser; fails, naming the fix, when a forced one cannot start. */
    public static TestBrowser start() throws IOException {
        String forcedBy = forcedBy();
        List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(file -> !Files.isExecutable(file))
                .map(Path::toString).toList();
        String missingNames = String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " missing";
        Kind kind = forcedBy.isEmpty() ? (missing.isEmpty() ? Kind.CHROMIUM : Kind.HTMLUNIT) : parse(forcedBy);
        if (kind == Kind.CHROMIUM && !missing.isEmpty()) {
            throw new IllegalStateException(forcedBy + ", but " + missingNames + ": " + INSTALL_HINT);
        }
        String why = !forcedBy.isEmpty() ? "forced by " + forcedBy
                : missing.isEmpty() ? CHROMIUM + " and " + CHROMEDRIVER + " are installed"
                : missingNames + "; for the real browser: " + INSTALL_HINT;
        TestBrowser browser = kind == Kind.CHROMIUM ? startChromium() : startHtmlUnit();
        log.info("Browser tests use {} ({})", browser.describe(), why);
        return browser;
    }

    public Kind kind() {
        return driver instanceof ChromeDriver ? Kind.CHROMIUM : Kind.HTMLUNIT;
    }

    public boolean isChromium() {
        return kind() == Kind.CHROMIUM;
    }

    /** Both drivers also implement {@code JavascriptExecutor}. */
    public WebDriver driver() {
        return driver;
    }

    /** Runs checks that only a real browser can make; elsewhere says they were not made. */
    public void chromiumOnly(String what, Runnable checks) {
        if (isChromium()) {
            checks.run();
        } else {
            log.info("Chromium only, not checked on HtmlUnit: {}", what);
        }
    }

    /** Runs {@code action} with the pages' JavaScript switched off, as for a visitor who disabled it. */
    public void withJavaScriptOff(Runnable action) {
        setJavaScript(false);
        try {
            action.run();
        } finally {
            setJavaScript(true);
        }
    }

    /**
     * The HTTP status of the page the browser shows. Chromium tells it through the Navigation Timing
     * API, which HtmlUnit lacks; HtmlUnit's WebClient keeps the response itself.
     */
    public long responseStatus() {
        if (driver instanceof HtmlUnitDriver htmlUnit) {
            return htmlUnit.getWebClient().getCurrentWindow().getEnclosedPage().getWebResponse().getStatusCode();
        }
        return (Long) ((ChromeDriver) driver).executeScript("return performance.getEntriesByType('navigation')[0].responseStatus");
    }

    public void stop() throws IOException {
        try {
            driver.quit();
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

    /**
     * {@code name=value} of the setting that forces a browser, or "" for none. The system property
     * comes first: it is what {@code mvn -D} reaches, the more deliberate of the two.
     */
    private static String forcedBy() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return "-D" + PROPERTY + "=" + property.strip();
        }
        String variable = System.getenv(VARIABLE);
        return variable != null && !variable.isBlank() ? VARIABLE + "=" + variable.strip() : "";
    }

    private static Kind parse(String forcedBy) {
        return switch (forcedBy.substring(forcedBy.indexOf('=') + 1).toLowerCase(Locale.ROOT)) {
            case "chromium" -> Kind.CHROMIUM;
            case "htmlunit" -> Kind.HTMLUNIT;
            default -> throw new IllegalStateException(forcedBy + " names no browser the tests know: use chromium"
                    + " or htmlunit, or leave it unset to take Chromium when installed, else HtmlUnit");
        };
    }

    private static TestBrowser startChromium() throws IOException {
        List<String> driverFinderLog = watchDriverFinder();
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        Path userDataDir = Files.createTempDirectory("phrasebook-chromium");

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

        // Given both executables, Selenium never runs Selenium Manager, so nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        TestBrowser browser = new TestBrowser(driver, service, userDataDir);
        boolean managerSkipped;
        synchronized (driverFinderLog) {
            managerSkipped = driverFinderLog.stream().anyMatch(line -> line.startsWith("Skipping Selenium Manager"))
                    && driverFinderLog.stream().noneMatch(line -> line.contains("Selenium Manager set by")
                            || line.contains("Unable to obtain"));
        }
        if (!managerSkipped) {
            browser.stop();
            throw new IllegalStateException("Selenium must use the given chromedriver, never Selenium Manager"
                    + " (which downloads); Selenium's DriverFinder said: " + driverFinderLog);
        }
        return browser.withTimeouts();
    }

    private static TestBrowser startHtmlUnit() {
        // Chrome's profile, the nearest to the other path. HtmlUnit's profiles send "en-US" whatever the
        // machine's locale, as Chromium is told to.
        return new TestBrowser(new HtmlUnitDriver(BrowserVersion.CHROME, true), null, null).withTimeouts();
    }

    private TestBrowser withTimeouts() {
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return this;
    }

    private String describe() {
        if (driver instanceof ChromeDriver chrome) {
            return "headless Chromium " + chrome.getCapabilities().getBrowserVersion() + " through " + CHROMEDRIVER;
        }
        return "HtmlUnit " + org.htmlunit.Version.getProductVersion() + " as "
                + ((HtmlUnitDriver) driver).getBrowserVersion().getNickname() + ", JavaScript on";
    }

    private void setJavaScript(boolean on) {
        if (driver instanceof HtmlUnitDriver htmlUnit) {
            htmlUnit.setJavascriptEnabled(on);
        } else {
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
        }
    }

    /** Records what Selenium's DriverFinder says, to prove it skipped Selenium Manager. */
    private static List<String> watchDriverFinder() {
        List<String> lines = new ArrayList<>();
        driverFinderLogger.setLevel(Level.FINE);
        driverFinderLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return lines;
    }
}
