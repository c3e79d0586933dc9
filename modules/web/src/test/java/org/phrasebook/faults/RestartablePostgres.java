package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.phrasebook.support.CapturedLog;

/**
 * A PostgreSQL of the test's own (zonky's embedded binaries, so a JDK is all the machine
 * needs) that the test stops the way an operator or a crash does, with {@code pg_ctl stop -m
 * fast|immediate}, and starts again on the same port and data directory.
 */
final class RestartablePostgres implements AutoCloseable {

    enum StopMode { FAST, IMMEDIATE }

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    static RestartablePostgres start(Path dataDir) throws IOException {
        RestartablePostgres postgres = new RestartablePostgres(dataDir, freePort());
        postgres.start();
        return postgres;
    }

    void start() throws IOException {
        running = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                // zonky turns both off for throwaway databases; an immediate stop would then
                // lose commits that were already acknowledged, which is what the test looks for.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    /** {@code pg_ctl stop -m <mode>}, waiting until the postmaster is gone. */
    void stop(StopMode mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As zonky runs it when this is root: PostgreSQL's tools refuse to run as root.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl().toString(), "stop", "-D", dataDir.toString(), "-m",
                mode.name().toLowerCase(), "-w", "-t", "30"));
        Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(pgCtl.waitFor(40, TimeUnit.SECONDS)).as("pg_ctl stop returned").isTrue();
        String output = new String(pgCtl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pgCtl.exitValue()).as("pg_ctl stop -m %s: %s", mode, output).isZero();
        releaseHandle();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** A connection to check the table with, straight to PostgreSQL. */
    DataSource dataSource() {
        return running.getPostgresDatabase();
    }

    /** The pg_ctl next to the running postmaster's own executable, wherever zonky unpacked it. */
    private Path pgCtl() throws IOException {
        String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
        Path postgres = Files.readSymbolicLink(Path.of("/proc", pid, "exe"));
        Path pgCtl = postgres.resolveSibling("pg_ctl");
        assertThat(pgCtl).as("pg_ctl beside " + postgres).isExecutable();
        return pgCtl;
    }

    /**
     * Zonky keeps a file lock on the directory until its handle closes; its own stop then
     * finds nothing to stop and logs that as an error, which says nothing here.
     */
    @SuppressWarnings("try") // the captured log is only there to keep that line out of the output
    private void releaseHandle() throws IOException {
        try (CapturedLog quiet = new CapturedLog(EmbeddedPostgres.class, Level.OFF)) {
            running.close();
        }
        running = null;
    }

    @Override
    public void close() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
