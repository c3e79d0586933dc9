package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.Application;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/**
 * Without {@code DATABASE_URL} the app runs on its embedded PostgreSQL, and what it
 * acknowledged survives a restart of both the app and that database.
 */
class EmbeddedDefaultIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsEveryAcknowledgedPhraseAcrossARestartOfAppAndDatabase() {
        long first;
        try (Application app = TestServer.start(Map.of("PHRASEBOOK_DATA_DIR", dataDir.toString()))) {
            Http http = new Http(app.port());
            first = Http.addedId(http.get("/Gracias"));
            assertThat(http.postJson("{\"text\": \"ñandú\"}").statusCode()).isEqualTo(201);
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();

        try (Application app = TestServer.start(Map.of("PHRASEBOOK_DATA_DIR", dataDir.toString()))) {
            Http http = new Http(app.port());
            assertThat(http.get("/api/phrases").body()).contains("\"Gracias\"").contains("\"ñandú\"");
            assertThat(Http.addedId(http.get("/otra"))).isGreaterThan(first);
        }
    }
}
