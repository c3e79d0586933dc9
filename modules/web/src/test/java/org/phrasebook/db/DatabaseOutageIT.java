package org.phrasebook.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.Application;
import org.phrasebook.http.ErrorFilter;
import org.phrasebook.logging.LogSetup;
import org.phrasebook.support.CapturedLog;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/**
 * The database goes away under a running app and comes back: the app answers 503 within
 * seconds (never hangs, never a stack trace) and recovers by itself, without a restart.
 * It runs on a PostgreSQL of its own, which it stops and starts again on the same port.
 */
class DatabaseOutageIT {

    private static final Duration FEW_SECONDS = Duration.ofSeconds(8);

    @TempDir
    Path dataDir;

    private EmbeddedPostgres postgres;
    private Application app;

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversWithoutARestart() throws Exception {
        int port = freePort();
        postgres = startPostgres(port);
        app = TestServer.start(Map.of("DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres"), "DATABASE_USER", "postgres"));
        Http http = new Http(app.port());
        assertThat(http.get("/before").statusCode()).isEqualTo(303);

        postgres.close();
        postgres = null;

        assertAnsweredQuickly(() -> http.get("/readyz"), 503, "text/plain;charset=utf-8");
        try (CapturedLog errors = new CapturedLog(ErrorFilter.class, Level.WARN)) {
            HttpResponse<String> page = assertAnsweredQuickly(() -> http.get("/during", "X-Request-Id", "outage-1"),
                    503, "text/html;charset=utf-8");
            assertThat(page.body()).contains("The database is unavailable").contains("most likely not stored")
                    .doesNotContain("Exception");
            // The app's own line about this request names the request's id.
            assertThat(errors.events()).anySatisfy(line -> {
                assertThat(line.getFormattedMessage()).startsWith("Database unavailable for GET /during");
                assertThat(line.getMDCPropertyMap()).containsEntry(LogSetup.REQUEST_ID, "outage-1");
            });
        }
        assertAnsweredQuickly(() -> http.get("/"), 503, "text/html;charset=utf-8");
        assertAnsweredQuickly(() -> http.postForm("during"), 503, "text/html;charset=utf-8");
        assertAnsweredQuickly(() -> http.postJson("{\"text\": \"during\"}"), 503, "application/problem+json;charset=utf-8");
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);

        postgres = startPostgres(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.get("/readyz").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready again within 30 s").isLessThan(deadline);
            Thread.sleep(250);
        }
        assertThat(http.get("/after").statusCode()).isEqualTo(303);
        assertThat(http.get("/api/phrases").body())
                .contains("\"before\"").contains("\"after\"").doesNotContain("\"during\"");
    }

    private HttpResponse<String> assertAnsweredQuickly(java.util.function.Supplier<HttpResponse<String>> request,
                                                       int status, String contentType) {
        long start = System.nanoTime();
        HttpResponse<String> answer = request.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as(answer.uri() + " answered in " + took).isLessThan(FEW_SECONDS);
        assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(contentType);
        return answer;
    }

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
