package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.Application;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/**
 * Search needs pg_trgm. Where the app's role may not create it and nobody has, the start
 * stops with one line saying what a superuser must run; once created, the start migrates.
 */
class SearchExtensionIT {

    @TempDir
    Path dataDir;

    private EmbeddedPostgres postgres;

    @AfterEach
    void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aRoleThatMayNotCreateTheExtensionGetsOneLineSayingWhatToRun() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).start();
        superuser("postgres", "create role limited login nosuperuser nocreatedb", "create database shop");
        // As the project's database image sets the app's role up: owner of schema public, nothing more.
        superuser("shop", "alter schema public owner to limited", "revoke create on database shop from public");
        Map<String, String> env = Map.of("DATABASE_URL", postgres.getJdbcUrl("limited", "shop"), "DATABASE_USER", "limited");

        assertThatThrownBy(() -> TestServer.start(env)).rootCause()
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessage("The schema cannot be migrated: The extension pg_trgm is missing from database \"shop\" and "
                        + "role \"limited\" may not create it. As a superuser, run: CREATE EXTENSION pg_trgm; in that "
                        + "database, then start again (the project's database image does this on its first start).");

        superuser("shop", "create extension pg_trgm");
        Application app = TestServer.start(env);
        try {
            assertThat(new Http(app.port()).get("/api/phrases?q=abc").statusCode()).isEqualTo(200);
        } finally {
            app.close();
        }
    }

    private void superuser(String database, String... statements) throws SQLException {
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
             Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }
}
