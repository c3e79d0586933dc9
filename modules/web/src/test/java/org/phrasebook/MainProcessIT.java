package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.support.Http;
import org.phrasebook.support.JarProcess;

/** The runnable jar, as a user runs it: {@code java -jar modules/web/target/phrasebook-web.jar}. */
class MainProcessIT {

    @TempDir
    Path workDir;

    @Test
    void helpPrintsEveryVariableWithItsDefaultAndExitsZero() {
        try (JarProcess jar = JarProcess.start(workDir, "help.log", Map.of(), "--help")) {
            assertThat(jar.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(jar.output()).contains("Usage: java -jar phrasebook-web.jar")
                    .contains("DATABASE_POOL_SIZE").contains("default: ./phrasebook-data").doesNotContain(" INFO ");
            for (Setting setting : Setting.values()) {
                assertThat(jar.output()).contains(setting.name()).contains(setting.meaning());
            }
        }
    }

    @Test
    void versionPrintsTheBuildsVersion() {
        try (JarProcess jar = JarProcess.start(workDir, "version.log", Map.of(), "--version")) {
            assertThat(jar.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(jar.output().strip()).matches("phrasebook \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void theJvmThatBuiltTheJarUsesTheClassCacheTrainedBesideIt() {
        Path options = JarProcess.JAR.resolveSibling("jvm.options");
        // With these the JVM refuses to start when it cannot map the cache (AOTMode: JDK 25+).
        List<String> required = List.of("@" + options, "-Xshare:on", "-XX:AOTMode=on");
        try (JarProcess jar = JarProcess.start(workDir, "cache.log", Map.of(), required, "--version")) {
            assertThat(jar.awaitExit(Duration.ofSeconds(20))).as(jar.output()).isZero();
            assertThat(jar.output()).startsWith("phrasebook ");
        }
    }

    @Test
    void anyOtherArgumentIsOneClearLineAndExitStatusTwo() {
        try (JarProcess jar = JarProcess.start(workDir, "bad.log", Map.of(), "--port", "80")) {
            assertThat(jar.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(jar.output().strip()).startsWith("Unknown argument '--port 80'").contains("--help")
                    .doesNotContain("\n");
        }
    }

    @Test
    void aBadValueStopsTheStartWithOneLineNamingTheVariable() {
        try (JarProcess jar = JarProcess.start(workDir, "out.log", Map.of("PORT", "eighty"))) {
            assertThat(jar.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(jar.output()).containsOnlyOnce("PORT must be a whole number from 0 to 65535, but is 'eighty'")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aPortInUseStopsTheStartWithOneLineNamingIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             JarProcess jar = JarProcess.start(workDir, "out.log", Map.of("PORT", Integer.toString(taken.getLocalPort())))) {
            assertThat(jar.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(jar.output()).contains("PORT " + taken.getLocalPort() + " on HOST 127.0.0.1 cannot be listened on")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anUnreachableDatabaseIsRetriedThenGivenUpWithAClearLine() {
        try (JarProcess jar = JarProcess.start(workDir, "out.log",
                Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/phrasebook", "DATABASE_WAIT_SECONDS", "3"))) {
            assertThat(jar.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(jar.output()).contains("Waiting for the database jdbc:postgresql://127.0.0.1:1/phrasebook (attempt 1)")
                    .contains("did not answer within 3 s (DATABASE_WAIT_SECONDS)")
                    .doesNotContain("\tat ");
        }
    }

    /** initdb takes its locale from the environment; the POSIX one must not change how search matches. */
    @Test
    void theEmbeddedDatabaseIgnoresTheCaseOfEveryLetterWhateverTheMachinesLocale() throws Exception {
        try (JarProcess jar = JarProcess.start(workDir, "out.log", Map.of("LC_ALL", "C"))) {
            Http http = jar.awaitReady(Duration.ofSeconds(90));
            assertThat(http.postJson("{\"text\": \"ÑANDÚ dice adiós\"}").statusCode()).isEqualTo(201);
            for (String query : List.of("ñandú", "ADIÓS", "Ñandú Dice")) {
                String found = http.get("/api/phrases?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).body();
                assertThat(found).as(query).contains("\"ÑANDÚ dice adiós\"");
            }
        }
    }

    @Test
    void runsFromAnyDirectoryOnTheEmbeddedDatabaseAndStopsGracefullyOnSigterm() {
        try (JarProcess jar = JarProcess.start(workDir, "out.log", Map.of())) {
            Http http = jar.awaitReady(Duration.ofSeconds(90));
            assertThat(http.get("/Gracias").statusCode()).isEqualTo(303);
            assertThat(http.get("/").body()).contains("Gracias");
            assertThat(jar.output()).contains("No DATABASE_URL set: started an embedded PostgreSQL");
            assertThat(workDir.resolve("phrasebook-data/PG_VERSION")).exists();

            jar.process().destroy(); // SIGTERM
            jar.awaitExit(Duration.ofSeconds(30));
            assertThat(jar.output()).contains("Stopping").contains("Stopped");
        }
    }
}
