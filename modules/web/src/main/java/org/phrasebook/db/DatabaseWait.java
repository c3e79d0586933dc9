package org.phrasebook.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up waits here until the database answers, with bounded retries and one log line
 * per attempt: in compose the web container may well start before the database is ready.
 */
public final class DatabaseWait {

    private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);
    private static final Duration PAUSE = Duration.ofSeconds(1);

    private DatabaseWait() {
    }

    /** @throws DatabaseUnavailableException when the database did not answer within {@code limit} */
    public static void until(DataSource dataSource, String description, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid(1)) {
                    if (attempt > 1) {
                        log.info("Database {} answered on attempt {}", description, attempt);
                    }
                    return;
                }
            } catch (SQLException e) {
                String reason = rootCause(e);
                log.info("Waiting for the database {} (attempt {}): {}", description, attempt, reason);
                if (Instant.now().plus(PAUSE).isAfter(deadline)) {
                    throw new DatabaseUnavailableException("The database " + description + " did not answer within "
                            + limit.toSeconds() + " s (DATABASE_WAIT_SECONDS): " + reason);
                }
            }
            sleep();
        }
    }

    /** The pool says only "timed out"; the driver's cause says why (refused, bad password...). */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("Interrupted while waiting for the database");
        }
    }
}
