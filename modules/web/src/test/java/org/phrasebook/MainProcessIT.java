package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.support.Http;
import org.phrasebook.support.ProjectPaths;

/** The runnable jar, as a user runs it: {@code java -jar modules/web/target/phrasebook-web.jar}. */
class MainProcessIT {

    private static final Path JAR = ProjectPaths.root().resolve("modules/web/target/phrasebook-web.jar");
    private static final Pattern READY = Pattern.compile("ready on http://[^:]+:(\\d+)/");

    @TempDir
    Path workDir;

    @Test
    void aBadValueStopsTheStartWithOneLineNamingTheVariable() throws Exception {
        Run run = run(Map.of("PORT", "eighty"), Duration.ofSeconds(20));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).containsOnlyOnce("PORT must be a whole number from 0 to 65535, but is 'eighty'")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPortInUseStopsTheStartWithOneLineNamingIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = run(Map.of("PORT", Integer.toString(port)), Duration.ofSeconds(60));
            assertThat(run.exitCode).isEqualTo(2);
            assertThat(run.output).contains("PORT " + port + " on HOST 127.0.0.1 cannot be listened on")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anUnreachableDatabaseIsRetriedThenGivenUpWithAClearLine() throws Exception {
        Run run = run(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/phrasebook", "DATABASE_WAIT_SECONDS", "3"),
                Duration.ofSeconds(30));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).contains("Waiting for the database jdbc:postgresql://127.0.0.1:1/phrasebook (attempt 1)")
                .contains("did not answer within 3 s (DATABASE_WAIT_SECONDS)")
                .doesNotContain("\tat ");
    }

    @Test
    void runsFromAnyDirectoryOnTheEmbeddedDatabaseAndStopsGracefullyOnSigterm() throws Exception {
        Process process = start(Map.of("PORT", "0"));
        try {
            Path log = workDir.resolve("out.log");
            int port = awaitPort(log, Duration.ofSeconds(90));
            Http http = new Http(port);
            assertThat(http.get("/Gracias").statusCode()).isEqualTo(303);
            assertThat(http.get("/").body()).contains("Gracias");
            assertThat(Files.readString(log)).contains("No DATABASE_URL set: started an embedded PostgreSQL");
            assertThat(workDir.resolve("phrasebook-data/PG_VERSION")).exists();

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(Files.readString(log)).contains("Stopping").contains("Stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(Map<String, String> env, Duration limit) throws Exception {
        Process process = start(env);
        try {
            assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).as("exited within " + limit).isTrue();
            return new Run(process.exitValue(), Files.readString(workDir.resolve("out.log")));
        } finally {
            process.destroyForcibly();
        }
    }

    private Process start(Map<String, String> env) throws IOException {
        assertThat(JAR).as("run `mvn package` first").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", JAR.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("out.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DATABASE_") || k.equals("PORT") || k.equals("HOST"));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int awaitPort(Path log, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (ready.find()) {
                return Integer.parseInt(ready.group(1));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Not ready within " + limit + ":\n" + Files.readString(log));
    }
}
