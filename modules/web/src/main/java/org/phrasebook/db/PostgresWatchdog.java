package org.phrasebook.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the embedded PostgreSQL down when this JVM dies hard (SIGKILL, an OOM kill): a tiny
 * shell reads its standard input from this JVM until the kernel closes that pipe at the JVM's
 * death, then asks PostgreSQL for a fast shutdown. A graceful stop ends the watchdog first.
 */
final class PostgresWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresWatchdog.class);
    private static final Path SHELL = Path.of("/bin/sh");
    /** {@code read} returns non-zero only at end of input, that is once this JVM is gone. */
    private static final String SCRIPT = "while read -r _; do :; done; kill -INT \"$0\"";

    /** Held so that the pipe to the shell stays open for as long as this JVM lives. */
    private final Process shell;

    private PostgresWatchdog(Process shell) {
        this.shell = shell;
    }

    /** Empty where the platform has no POSIX shell; the start then goes on without it. */
    static Optional<PostgresWatchdog> watch(long postgresPid) {
        if (!Files.isExecutable(SHELL)) {
            return Optional.empty();
        }
        try {
            Process shell = new ProcessBuilder(List.of(SHELL.toString(), "-c", SCRIPT, Long.toString(postgresPid)))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(new PostgresWatchdog(shell));
        } catch (IOException e) {
            log.warn("No watchdog for the embedded PostgreSQL (it may outlive a crash of this process): {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        shell.destroy();
    }
}
