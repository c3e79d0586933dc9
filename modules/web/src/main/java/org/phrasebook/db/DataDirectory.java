package org.phrasebook.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.phrasebook.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's data directory, made ready for a start: refused while a live
 * Phrasebook uses it, and freed of what a process that died hard left behind (a PostgreSQL
 * still running on it, or a stale {@code postmaster.pid} after a power loss).
 */
final class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    /** The library holds a lock on this file for as long as its PostgreSQL runs. */
    private static final String LIBRARY_LOCK = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private DataDirectory() {
    }

    /** @throws ConfigException when a live Phrasebook uses the directory */
    static void prepare(Path dir) {
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            return; // a new directory: the library creates the cluster
        }
        refuseIfInUse(dir);
        Path pidFile = dir.resolve(PID_FILE);
        Optional<Long> pid = postmasterPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (!Files.exists(pidFile)) {
            return;
        } else if (process.isPresent() && isPostgresOn(process.get(), dir)) {
            stop(process.get(), dir);
        } else if (process.isEmpty() || isSomethingElse(process.get(), dir)) {
            // After a power loss the old pid may belong to another process now, and PostgreSQL
            // would then refuse to start.
            delete(pidFile);
            log.info("Removed a stale {} (pid {} is not a PostgreSQL on it) from {}", PID_FILE,
                    pid.map(String::valueOf).orElse("unreadable"), dir);
        } else {
            throw new DatabaseUnavailableException(("%s names process %d, which may be a PostgreSQL still running on %s: "
                    + "stop it, or delete the file if it is not").formatted(pidFile, pid.get(), dir));
        }
    }

    /** The pid in PostgreSQL's lock file; empty when there is none or it is half-written. */
    static Optional<Long> postmasterPid(Path pidFile) {
        try {
            String firstLine = Files.readString(pidFile, StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            return Optional.of(Long.parseLong(firstLine.strip())).filter(pid -> pid > 0);
        } catch (IOException | NumberFormatException absentOrUnreadable) {
            return Optional.empty();
        }
    }

    private static void refuseIfInUse(Path dir) {
        Path lockFile = dir.resolve(LIBRARY_LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw inUse(dir);
            }
        } catch (OverlappingFileLockException sameProcess) {
            throw inUse(dir);
        } catch (IOException e) {
            throw new ConfigException("PHRASEBOOK_DATA_DIR", dir + " cannot be used: " + e.getMessage());
        }
    }

    private static ConfigException inUse(Path dir) {
        return new ConfigException("PHRASEBOOK_DATA_DIR",
                dir + " is in use by another running Phrasebook: stop that one first, or choose another directory");
    }

    /** Only a process that shows itself as PostgreSQL on this very directory is ever signalled. */
    private static boolean isPostgresOn(ProcessHandle process, Path dir) {
        return isPostgres(process).orElse(false) && isOn(process, dir).orElse(false);
    }

    /** A process that shows itself as another program, or as PostgreSQL on another directory. */
    private static boolean isSomethingElse(ProcessHandle process, Path dir) {
        return !isPostgres(process).orElse(true) || !isOn(process, dir).orElse(true);
    }

    private static Optional<Boolean> isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString().equals("postgres"));
    }

    private static Optional<Boolean> isOn(ProcessHandle process, Path dir) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains(dir.toString()));
    }

    /** SIGTERM is PostgreSQL's "smart" shutdown: it writes a checkpoint, nothing is lost. */
    private static void stop(ProcessHandle postgres, Path dir) {
        postgres.destroy();
        try {
            postgres.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new DatabaseUnavailableException("The embedded PostgreSQL (pid %d) left running on %s by an earlier process did not stop within %d s: stop it (kill %d) and start again"
                    .formatted(postgres.pid(), dir, STOP_WAIT.toSeconds(), postgres.pid()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("Interrupted while stopping the embedded PostgreSQL on " + dir);
        }
        log.info("Stopped the embedded PostgreSQL (pid {}) that an earlier process, now gone, left running on {}",
                postgres.pid(), dir);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("Cannot remove the stale " + file + ": " + e.getMessage());
        }
    }
}
