package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phrasebook.Application;
import org.phrasebook.faults.Outcome.Way;
import org.phrasebook.faults.RestartablePostgres.StopMode;
import org.phrasebook.support.EventStream;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/**
 * PostgreSQL stops under eight visitors adding phrases, and starts again on the same port:
 * during the outage every add is answered 503 within the pool's connection timeout (never a
 * 500, a hang or a dropped connection), the app recovers by itself, and every add it
 * acknowledged is stored exactly once. A live stream opened before stays open throughout and
 * is sent every stored add exactly once, in id order: the process's listening connection
 * reconnects and reads back what it missed.
 */
class DatabaseRestartUnderLoadIT {

    private static final int CLIENTS = 8;
    private static final int ADDS = 30;
    /**
     * ConnectionPool's connection timeout (3 s) and validation timeout (1 s), plus room for two
     * busy cores: 6.35 s was seen once with the machine's load average at 6.
     */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(3).plusSeconds(1).plusSeconds(3);
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private RestartablePostgres postgres;
    private Application app;

    @AfterEach
    void stopAll() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest
    @EnumSource(StopMode.class)
    void everyAddIsAnsweredAndEveryAcknowledgedOneIsStored(StopMode mode) throws Exception {
        postgres = RestartablePostgres.start(dataDir);
        app = TestServer.start(Map.of("DATABASE_URL", postgres.jdbcUrl(), "DATABASE_USER", "postgres"));
        Http http = new Http(app.port());

        List<Outcome> outcomes;
        long stoppedAt;
        long readyAt;
        try (EventStream live = EventStream.open(app.port(), "/api/phrases/stream");
                AddLoad load = AddLoad.start(app.port(), CLIENTS, "db-" + mode.name().toLowerCase())) {
            load.awaitMoreAcknowledged(ADDS, Duration.ofSeconds(20));
            stoppedAt = System.nanoTime();
            postgres.stop(mode);
            AddLoad.sleep(OUTAGE);
            assertThat(http.get("/readyz").statusCode()).as("/readyz during the outage").isEqualTo(503);
            long restartedAt = System.nanoTime();
            postgres.start();
            readyAt = awaitReady(http, Duration.ofSeconds(20));
            load.awaitMoreAcknowledged(ADDS, Duration.ofSeconds(20));
            outcomes = load.stop();
            System.out.printf("Database %s stop under load: %s; ready again %d ms after the restart began%n", mode,
                    Outcomes.summary(outcomes), Duration.ofNanos(readyAt - restartedAt).toMillis());

            assertThat(Outcomes.where(outcomes, o -> o.failure() != null)).as("adds that got no answer").isEmpty();
            assertThat(Outcomes.where(outcomes, o -> !o.acknowledged() && o.status() != 503))
                    .as("answers other than an acknowledgement or 503").isEmpty();
            assertThat(Outcomes.where(outcomes, o -> o.endNanos() < stoppedAt && !o.acknowledged()))
                    .as("adds answered before the stop that were not acknowledged").isEmpty();
            List<Outcome> unavailable = Outcomes.where(outcomes, o -> o.status() == 503);
            assertThat(unavailable).as("503s: the load met the outage").hasSizeGreaterThanOrEqualTo(CLIENTS);
            assertThat(unavailable).allSatisfy(answer -> {
                assertThat(answer.took()).as(answer.toString()).isLessThan(ANSWER_LIMIT);
                assertThat(answer.contentType()).as(answer.toString()).isEqualTo(answer.way() == Way.API
                        ? "application/problem+json;charset=utf-8" : "text/html;charset=utf-8");
            });
            assertThat(Outcomes.where(outcomes, o -> o.startNanos() > readyAt && o.acknowledged()))
                    .as("adds acknowledged after recovery").hasSizeGreaterThanOrEqualTo(ADDS / 2);
            int unacknowledgedButStored = Outcomes.assertStoredExactlyOnce(postgres.dataSource(), load.label(),
                    Outcomes.acknowledged(outcomes));
            System.out.printf("Database %s stop: %d adds stored without an acknowledgement%n", mode, unacknowledgedButStored);

            List<Long> stored = Outcomes.storedIds(postgres.dataSource(), load.label());
            List<Long> streamed = new ArrayList<>();
            while (streamed.size() < stored.size()) {
                EventStream.Event event = live.nextEvent(Duration.ofSeconds(10));
                assertThat(event).as("the live stream, after %d of %d adds", streamed.size(), stored.size()).isNotEqualTo(EventStream.END);
                if (JSON.readTree(event.data()).get("text").textValue().startsWith(load.label() + "-")) {
                    streamed.add(event.phraseId());
                }
            }
            assertThat(streamed).as("adds streamed live across the outage").containsExactlyElementsOf(stored);
        }
    }

    private static long awaitReady(Http http, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (http.get("/readyz").statusCode() != 200) {
            assertThat(System.nanoTime()).as("/readyz 200 within " + limit + " of the restart").isLessThan(deadline);
            AddLoad.sleep(Duration.ofMillis(100));
        }
        return System.nanoTime();
    }
}
