package org.phrasebook.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database when {@code DATABASE_URL} is not set: a real PostgreSQL started from
 * the binaries in the runnable jar's {@code lib/}, on a free loopback port, keeping its data
 * in a directory of its own across restarts, and its log in that directory's {@code log/}.
 * The container image does not carry it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String CLASS_NAME = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Optional<PostgresWatchdog> watchdog;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, Optional<PostgresWatchdog> watchdog) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.watchdog = watchdog;
    }

    /** False in the container image, which leaves the embedded binaries out. */
    public static boolean isAvailable() {
        try {
            Class.forName(CLASS_NAME, false, EmbeddedDatabase.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /**
     * @throws org.phrasebook.ConfigException when another running Phrasebook uses {@code dataDir}
     * @throws DatabaseUnavailableException   when PostgreSQL cannot start; one line with the cause
     */
    public static EmbeddedDatabase start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("Cannot create the embedded PostgreSQL's data directory " + dir
                    + " (PHRASEBOOK_DATA_DIR): " + e);
        }
        DataDirectory.prepare(dir);
        Path startupLog = dir.resolve("log/startup.log");
        EmbeddedPostgres postgres;
        try {
            EmbeddedPostgres.Builder builder = newCluster();
            if (Files.exists(dir.resolve("PG_VERSION"))) {
                // What PostgreSQL says before its own log is open, such as why it cannot start.
                // (A new cluster's directory must stay empty until initdb has run.)
                Files.createDirectories(startupLog.getParent());
                builder.setOutputRedirector(ProcessBuilder.Redirect.appendTo(startupLog.toFile()));
            }
            postgres = builder
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START_WAIT)
                    .setServerConfig("listen_addresses", "localhost")
                    // The library tunes for throwaway test databases; this one keeps data,
                    // so every acknowledged add must be durable.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new DatabaseUnavailableException("The embedded PostgreSQL did not start in %s: %s (its log is in %s)"
                    .formatted(dir, lastFatal(startupLog).orElse(e.getMessage()), startupLog.getParent()));
        }
        Optional<PostgresWatchdog> watchdog = DataDirectory.postmasterPid(dir.resolve("postmaster.pid"))
                .flatMap(PostgresWatchdog::watch);
        if (watchdog.isEmpty()) {
            log.info("The embedded PostgreSQL will not stop by itself if this process is killed");
        }
        return new EmbeddedDatabase(postgres, dir, watchdog);
    }

    /**
     * A cluster whose text rules do not depend on the machine's locale. initdb takes the
     * locale from the environment, and in the POSIX one PostgreSQL changes the case of ASCII
     * letters only, so a search for "ADIÓS" would miss "adiós". PostgreSQL 17's built-in
     * {@code C.UTF-8} locale has Unicode's case mapping and needs no locale installed. Its
     * binaries are unpacked first where they are not yet ({@link PostgresBinaries}).
     */
    public static EmbeddedPostgres.Builder newCluster() {
        Path binaries = PostgresBinaries.workingDirectory();
        try {
            PostgresBinaries.unpack(binaries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack its binaries into " + binaries + ": " + e, e);
        }
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.toFile())
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("locale-provider", "builtin")
                .setLocaleConfig("builtin-locale", "C.UTF-8");
    }

    /** PostgreSQL's own reason, e.g. {@code FATAL:  could not create lock file ...}. */
    private static Optional<String> lastFatal(Path startupLog) {
        try (Stream<String> lines = Files.lines(startupLog)) {
            return lines.filter(line -> line.contains("FATAL:")).reduce((first, second) -> second)
                    .map(line -> line.substring(line.indexOf("FATAL:")));
        } catch (IOException | UncheckedIOException noLog) {
            return Optional.empty();
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Stopping the embedded PostgreSQL in {} failed: {}", dataDir, e.getMessage());
        } finally {
            watchdog.ifPresent(PostgresWatchdog::close);
        }
    }
}
