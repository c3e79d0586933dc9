package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.Config;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * Start-up's migrations run on connections of their own: Flyway holds two at once, and a
 * migration that rewrites a large table must not be cut off by the read timeout that bounds
 * a request.
 */
class MigrationConnectionsIT {

    @Test
    void aPoolOfOneConnectionStartsAndServes() {
        Map<String, String> env = new HashMap<>(TestDatabase.get().environment());
        env.put("DATABASE_POOL_SIZE", "1");
        try (Application app = TestServer.start(env)) {
            Http http = new Http(app.port());
            HttpResponse<String> added = http.postJson("{\"text\": \"pool of one\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(http.get("/api/phrases/" + Http.addedId(added)).body()).contains("\"pool of one\"");
        }
    }

    @Test
    void migrationsWaitForLocksAsRequestsDoButHaveNoReadTimeout() throws Exception {
        Config config = Config.fromEnvironment(TestDatabase.get().environment());
        try (Connection migration = ConnectionPool.forMigrations(config).getConnection();
                Connection request = ConnectionPool.dedicated(config).open()) {
            assertThat(migration.getNetworkTimeout()).as("read timeout of a migration's connection, ms").isZero();
            assertThat(request.getNetworkTimeout()).as("read timeout of a request's connection, ms").isEqualTo(30_000);
            assertThat(lockTimeout(migration)).isEqualTo(lockTimeout(request)).isEqualTo("3s");
        }
    }

    private static String lockTimeout(Connection connection) throws Exception {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery("show lock_timeout")) {
            row.next();
            return row.getString(1);
        }
    }
}
