package org.phrasebook.db;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date with the migrations of the schema module, at start-up. */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** @throws DatabaseUnavailableException when a migration stops on purpose, with its one line */
    public static void migrate(DataSource dataSource) {
        MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            raised(e).ifPresent(message -> {
                throw new DatabaseUnavailableException("The schema cannot be migrated: " + message);
            });
            throw e;
        }
        log.info("Schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
    }

    /** The text of a migration's own RAISE EXCEPTION (SQLSTATE P0001), which says what to do. */
    private static Optional<String> raised(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PSQLException sql && "P0001".equals(sql.getSQLState()) && sql.getServerErrorMessage() != null) {
                return Optional.ofNullable(sql.getServerErrorMessage().getMessage());
            }
        }
        return Optional.empty();
    }
}
