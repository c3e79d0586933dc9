package org.phrasebook.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * Searches that stall in the database (here behind a lock of the test's) hold at most half the
 * pool: the app keeps connections for everything else, and the searches beyond their share are
 * refused with a 503 instead of queueing for a connection; the metrics show all three. Before
 * the bound, two stalled searches took a pool of two, and even {@code /readyz} waited 3 s for
 * a connection and failed.
 */
class StalledSearchesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One search slot. */
    private static final int POOL_SIZE = 2;
    private static final int SEARCHES = 4;
    /** Longer than a search's statement timeout and its wait for a slot together (2 s each). */
    private static final Duration LOCK_HELD = Duration.ofSeconds(5);

    private final ExecutorService clients = Executors.newFixedThreadPool(SEARCHES);
    private Application app;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void stalledSearchesLeaveThePoolsOtherHalfFreeAndTheRestAreRefused() throws Exception {
        Map<String, String> env = new HashMap<>(TestDatabase.get().environment());
        env.put("DATABASE_POOL_SIZE", Integer.toString(POOL_SIZE));
        env.put("ADMIN_PORT", Integer.toString(freePort()));
        app = TestServer.start(env);
        Http http = new Http(app.port());
        Http admin = new Http(app.adminPort().orElseThrow());
        assertThat(http.postJson("{\"text\": \"stalled search\"}").statusCode()).isEqualTo(201);

        List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();
        HttpResponse<String> ready;
        long readyMillis;
        String stalled;
        try (Connection lock = TestDatabase.get().dataSource().getConnection(); Statement sql = lock.createStatement()) {
            lock.setAutoCommit(false);
            sql.execute("lock table phrase in access exclusive mode");
            long lockedAt = System.nanoTime();
            for (int i = 0; i < SEARCHES; i++) {
                searches.add(CompletableFuture.supplyAsync(() -> http.get("/api/phrases?q=stalled"), clients));
            }
            stalled = awaitWaiting(admin, SEARCHES - 1, lockedAt);
            long start = System.nanoTime();
            ready = http.get("/readyz");
            readyMillis = (System.nanoTime() - start) / 1_000_000;
            long left = LOCK_HELD.toNanos() - (System.nanoTime() - lockedAt);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
            lock.rollback();
        }

        assertThat(value(stalled, "phrasebook_searches_running")).isEqualTo(1);
        assertThat(value(stalled, "phrasebook_searches_waiting")).isEqualTo(SEARCHES - 1);
        assertThat(ready.statusCode()).as("/readyz while searches stall").isEqualTo(200);
        assertThat(readyMillis).as("ms /readyz waited").isLessThan(1_500);
        List<String> types = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> search : searches) {
            HttpResponse<String> answer = search.get(15, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            types.add(JSON.readTree(answer.body()).get("type").asText());
        }
        assertThat(types).as("each stalled search times out or is refused")
                .allMatch(type -> type.equals("urn:phrasebook:problem:search-timeout")
                        || type.equals("urn:phrasebook:problem:search-busy"))
                .contains("urn:phrasebook:problem:search-busy");
        String metrics = admin.get("/metrics").body();
        assertThat(value(metrics, "phrasebook_searches_refused_total"))
                .isEqualTo(types.stream().filter(type -> type.endsWith(":search-busy")).count());
        assertThat(value(metrics, "phrasebook_searches_running")).isZero();

        HttpResponse<String> after = http.get("/api/phrases?q=stalled");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).get("items").get(0).get("text").asText()).isEqualTo("stalled search");
    }

    /** The metrics once {@code waiting} searches wait for the slot, or as they are 1.5 s after the lock. */
    private static String awaitWaiting(Http admin, int waiting, long lockedAt) throws InterruptedException {
        String scrape = admin.get("/metrics").body();
        while (value(scrape, "phrasebook_searches_waiting") < waiting && System.nanoTime() - lockedAt < 1_500_000_000L) {
            Thread.sleep(50);
            scrape = admin.get("/metrics").body();
        }
        return scrape;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(line.find()).as(series).isTrue();
        return Double.parseDouble(line.group(1));
    }
}
