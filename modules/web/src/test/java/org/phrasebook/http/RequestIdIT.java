package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.logging.LogSetup;
import org.phrasebook.support.CapturedLog;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/** Every answer carries a request id, and the access-log line for it names the same id. */
class RequestIdIT {

    private final Http http = TestServer.http();

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc.DEF_123-xyz", "0123456789012345678901234567890123456789012345678901234567890123"})
    void aSaneIncomingIdIsKept(String id) {
        assertThat(http.get("/", "X-Request-Id", id).headers().firstValue("X-Request-Id")).hasValue(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space", "semi;colon", "quote\"", "slash/", "ünicode", "%41",
        "01234567890123456789012345678901234567890123456789012345678901234"})
    void anythingElseIsReplacedByAGeneratedOne(String id) {
        String answered = http.get("/", "X-Request-Id", id).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(answered).isNotEqualTo(id).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope/x", "/%FF", "/api/phrases/0", "/static/style.css", "/readyz"})
    void everyAnswerHasOneAndTheyDiffer(String path) {
        String first = http.get(path).headers().firstValue("X-Request-Id").orElseThrow();
        String second = http.get(path).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(first).matches("[0-9a-f]{16}");
        assertThat(second).matches("[0-9a-f]{16}").isNotEqualTo(first);
    }

    @Test
    void theAccessLogLineCarriesTheIdTheResponseEchoed() throws InterruptedException {
        try (CapturedLog access = new CapturedLog(AccessLog.class, Level.INFO)) {
            HttpResponse<String> kept = http.get("/?probe=kept", "X-Request-Id", "probe-kept-1");
            HttpResponse<String> generated = http.get("/nope/probe-generated");

            ILoggingEvent keptLine = awaitLine(access, "/?probe=kept");
            assertThat(keptLine.getMDCPropertyMap()).containsEntry(LogSetup.REQUEST_ID, "probe-kept-1");
            assertThat(keptLine.getFormattedMessage()).matches(
                    "127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /\\?probe=kept HTTP/1\\.1\" 200 \\d+");
            assertThat(kept.statusCode()).isEqualTo(200);

            ILoggingEvent generatedLine = awaitLine(access, "/nope/probe-generated");
            assertThat(generatedLine.getMDCPropertyMap()).containsEntry(LogSetup.REQUEST_ID,
                    generated.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(generatedLine.getKeyValuePairs()).anySatisfy(pair -> {
                assertThat(pair.key).isEqualTo("status");
                assertThat(pair.value).isEqualTo(404);
            });
        }
    }

    /** The line is written when the response completes, which may be just after the client has it. */
    private static ILoggingEvent awaitLine(CapturedLog log, String target) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (true) {
            List<ILoggingEvent> lines = log.events().stream()
                    .filter(event -> event.getFormattedMessage().contains(" " + target + " ")).toList();
            if (!lines.isEmpty() || Instant.now().isAfter(deadline)) {
                assertThat(lines).as("access-log lines for " + target).hasSize(1);
                return lines.get(0);
            }
            Thread.sleep(20);
        }
    }
}
