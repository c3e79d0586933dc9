package org.phrasebook.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.support.EventStream;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** The admin listener's {@code GET /metrics}: the Prometheus text format with what an operator needs. */
class MetricsIT {

    /** One sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*})? (-?[0-9.eE+-]+|[+-]Inf|NaN)");

    private static Application app;
    private static Http web;
    private static Http admin;

    @BeforeAll
    static void start() throws IOException {
        int adminPort;
        try (ServerSocket free = new ServerSocket(0)) {
            adminPort = free.getLocalPort();
        }
        Map<String, String> env = new java.util.HashMap<>(TestDatabase.get().environment());
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        app = TestServer.start(env);
        web = new Http(app.port());
        admin = new Http(app.adminPort().orElseThrow());
        assertThat(app.adminPort()).hasValue(adminPort);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void isThePrometheusTextFormatEveryLineOfIt() {
        web.get("/");
        HttpResponse<String> scrape = admin.get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        List<String> lines = Arrays.asList(scrape.body().split("\n"));
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(
                line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches())
                .as(line).isTrue());
    }

    @Test
    void requestsAreCountedByRouteTemplateNeverByRawPath() {
        double before = value(scrape(), "http_server_requests_seconds_count{method=\"GET\",status=\"303\",uri=\"/{phrase}\"}");
        String marker = "metrics-" + System.nanoTime();
        assertThat(web.get("/" + marker).statusCode()).isEqualTo(303);
        assertThat(web.get("/" + marker + "-2").statusCode()).isEqualTo(303);
        assertThat(web.get("/a/b").statusCode()).isEqualTo(404);

        String scrape = scrape();
        assertThat(value(scrape, "http_server_requests_seconds_count{method=\"GET\",status=\"303\",uri=\"/{phrase}\"}"))
                .isEqualTo(before + 2);
        assertThat(scrape).doesNotContain(marker)
                .contains("http_server_requests_seconds_bucket{method=\"GET\",status=\"303\",uri=\"/{phrase}\",le=\"")
                .contains("http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"other\"}");
    }

    @Test
    void phrasesAddedAreCountedByWayIn() {
        String scrape = scrape();
        double path = value(scrape, "phrasebook_phrases_added_total{way=\"path\"}");
        double form = value(scrape, "phrasebook_phrases_added_total{way=\"form\"}");
        double api = value(scrape, "phrasebook_phrases_added_total{way=\"api\"}");

        assertThat(web.get("/by-path-" + System.nanoTime()).statusCode()).isEqualTo(303);
        assertThat(web.postForm("by form", "Origin", web.origin()).statusCode()).isEqualTo(303);
        assertThat(web.postJson("{\"text\": \"by api\"}").statusCode()).isEqualTo(201);
        assertThat(web.postJson("{\"text\": \"\"}").statusCode()).isEqualTo(400);

        scrape = scrape();
        assertThat(value(scrape, "phrasebook_phrases_added_total{way=\"path\"}")).isEqualTo(path + 1);
        assertThat(value(scrape, "phrasebook_phrases_added_total{way=\"form\"}")).isEqualTo(form + 1);
        assertThat(value(scrape, "phrasebook_phrases_added_total{way=\"api\"}")).isEqualTo(api + 1);
    }

    @Test
    void openLiveStreamsAndTheListeningConnectionAreThere() throws Exception {
        String scrape = scrape();
        assertThat(value(scrape, "phrasebook_live_listening")).isEqualTo(1);
        double streams = value(scrape, "phrasebook_live_streams");
        try (EventStream stream = EventStream.open(web.port(), "/api/phrases/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(value(scrape(), "phrasebook_live_streams")).isEqualTo(streams + 1);
        }
    }

    @Test
    void poolJettyJvmAndProcessAreThere() {
        assertThat(scrape()).contains(
                "hikaricp_connections_active{pool=\"phrasebook\"}",
                "hikaricp_connections_pending{pool=\"phrasebook\"}",
                "hikaricp_connections_timeout_total{pool=\"phrasebook\"}",
                "jetty_threads_busy",
                "jetty_connections_current_connections{connector_name=\"http\"}",
                "jvm_memory_used_bytes{area=\"heap\"",
                "jvm_gc_",
                "jvm_threads_live_threads",
                "process_cpu_usage",
                "process_uptime_seconds");
    }

    @Test
    void thePublicPortKeepsMetricsA404AndTheAdminPortServesNothingElse() {
        assertThat(web.get("/metrics").statusCode()).isEqualTo(404);
        assertThat(admin.get("/").statusCode()).isEqualTo(404);
        assertThat(admin.get("/metrics/x").statusCode()).isEqualTo(404);
        HttpResponse<String> post = admin.send(admin.request("/metrics").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void adminPortZeroTurnsTheListenerOff() {
        // TestServer's instances run with ADMIN_PORT=0 unless told otherwise.
        Application without = TestServer.start(TestDatabase.get().environment());
        try {
            assertThat(without.adminPort()).isEmpty();
        } finally {
            without.close();
        }
    }

    private static String scrape() {
        return admin.get("/metrics").body();
    }

    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
