package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.support.Http;
import org.phrasebook.support.JarProcess;

/**
 * The jar's embedded PostgreSQL after a hard end of the process that started it: nothing
 * acknowledged is lost, and the next start with the same command just works.
 */
class EmbeddedRecoveryIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void afterSigkillThePostgresStopsWithTheJvmAndTheNextStartHasEveryPhrase() {
        List<Long> ids;
        try (JarProcess first = JarProcess.start(workDir, "first.log", Map.of())) {
            Http http = first.awaitReady(START);
            ids = List.of(Http.addedId(http.get("/Antes")), Http.addedId(http.postForm("del kill -9")));
            long postgres = postmasterPid().orElseThrow();
            first.kill();
            awaitGone(postgres, "the embedded PostgreSQL, after its JVM was killed");
        }
        try (JarProcess second = JarProcess.start(workDir, "second.log", Map.of())) {
            Http http = second.awaitReady(START);
            assertThat(http.get("/api/phrases").body()).contains("\"id\":" + ids.get(0) + ",\"text\":\"Antes\"")
                    .contains("\"id\":" + ids.get(1) + ",\"text\":\"del kill -9\"");
            assertThat(second.output()).doesNotContain("\tat ").doesNotContain("Stopped the embedded PostgreSQL");
        }
    }

    @Test
    void aPostgresLeftRunningByADeadProcessIsStoppedAndTheStartGoesOn() {
        long orphan;
        try (JarProcess first = JarProcess.start(workDir, "first.log", Map.of())) {
            Http.addedId(first.awaitReady(START).get("/Huérfana"));
            orphan = postmasterPid().orElseThrow();
            // Where no watchdog could run, a hard end leaves PostgreSQL running on the directory.
            first.process().children().forEach(ProcessHandle::destroyForcibly);
            first.kill();
            JarProcess.sleep(Duration.ofSeconds(1));
            assertThat(ProcessHandle.of(orphan)).as("PostgreSQL still runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        }
        try (JarProcess second = JarProcess.start(workDir, "second.log", Map.of())) {
            Http http = second.awaitReady(START);
            assertThat(http.get("/api/phrases").body()).contains("\"Huérfana\"");
            assertThat(second.output()).containsOnlyOnce("Stopped the embedded PostgreSQL (pid " + orphan
                    + ") that an earlier process, now gone, left running on " + dataDir());
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void aDirectoryInUseByALivePhrasebookIsOneClearLineAndExitStatusTwo() {
        try (JarProcess first = JarProcess.start(workDir, "first.log", Map.of())) {
            Http http = first.awaitReady(START);
            try (JarProcess second = JarProcess.start(workDir, "second.log", Map.of())) {
                assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
                assertThat(second.output().strip()).endsWith("Cannot start: PHRASEBOOK_DATA_DIR " + dataDir()
                        + " is in use by another running Phrasebook: stop that one first, or choose another directory")
                        .doesNotContain("\tat ");
            }
            assertThat(http.get("/healthz").statusCode()).as("the first one is untouched").isEqualTo(200);
        }
    }

    @Test
    void aStalePostmasterPidAfterAPowerLossIsNoObstacle() throws IOException {
        try (JarProcess first = JarProcess.start(workDir, "first.log", Map.of())) {
            Http.addedId(first.awaitReady(START).get("/Antes"));
            first.process().destroy(); // a clean stop, then a pid file as a power loss leaves it
            first.awaitExit(Duration.ofSeconds(30));
        }
        // The pid of a live process that is not PostgreSQL: this test's JVM.
        long reused = ProcessHandle.current().pid();
        Files.writeString(dataDir().resolve("postmaster.pid"), reused + "\n" + dataDir() + "\n1764000000\n5432\n");
        try (JarProcess second = JarProcess.start(workDir, "second.log", Map.of())) {
            assertThat(second.awaitReady(START).get("/api/phrases").body()).contains("\"Antes\"");
            assertThat(second.output()).contains("Removed a stale postmaster.pid (pid " + reused + " is not a PostgreSQL on it)");
        }
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aPostgresThatCannotStartIsOneLineWithItsReasonAndWhereItsLogIs() throws IOException {
        try (JarProcess first = JarProcess.start(workDir, "first.log", Map.of())) {
            first.awaitReady(START);
            first.process().destroy();
            first.awaitExit(Duration.ofSeconds(30));
        }
        Files.writeString(dataDir().resolve("postgresql.conf"), "\nno_such_setting = on\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (JarProcess second = JarProcess.start(workDir, "second.log", Map.of())) {
            assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(second.output()).containsOnlyOnce("Cannot start: The embedded PostgreSQL did not start in " + dataDir()
                            + ": FATAL:  configuration file \"" + dataDir().resolve("postgresql.conf") + "\" contains errors"
                            + " (its log is in " + dataDir().resolve("log") + ")")
                    .doesNotContain("\tat ");
        }
    }

    private Path dataDir() {
        return workDir.resolve("phrasebook-data").toAbsolutePath().normalize();
    }

    private Optional<Long> postmasterPid() {
        return DataDirectory.postmasterPid(dataDir().resolve("postmaster.pid"));
    }

    private static void awaitGone(long pid, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
            assertThat(System.nanoTime()).as(what + " (pid " + pid + ") is still running after 15 s").isLessThan(deadline);
            JarProcess.sleep(Duration.ofMillis(100));
        }
    }
}
