package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** The JSON API under {@code /api/phrases}. */
class PhraseApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void postCreatesAndAnswers201WithLocationAndThePhrase() throws Exception {
        HttpResponse<String> created = http.postJson("{\"text\": \"  Gracias 😀 \"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        JsonNode phrase = JSON.readTree(created.body());
        long id = phrase.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/phrases/" + id);
        assertThat(phrase.get("text").asText()).isEqualTo("Gracias 😀");
        assertThat(Instant.parse(phrase.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(5));
        assertThat(phrase.get("createdAt").asText()).endsWith("Z");
        assertThat(created.body()).contains("😀"); // sent as UTF-8, not as escaped surrogates

        HttpResponse<String> read = http.get("/api/phrases/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body())).isEqualTo(phrase);
    }

    @Test
    void acceptsAnExplicitUtf8Charset() {
        assertThat(http.postJson("/api/phrases", "{\"text\":\"x\"}", "application/json; charset=UTF-8").statusCode())
                .isEqualTo(201);
    }

    @Test
    void listsNewestFirstWithNextLinkInBodyAndHeader() throws Exception {
        for (int i = 1; i <= 5; i++) {
            http.postJson("{\"text\": \"p" + i + "\"}");
        }
        HttpResponse<String> first = http.get("/api/phrases?limit=2");
        JsonNode page = JSON.readTree(first.body());
        assertThat(page.get("items")).extracting(n -> n.get("text").asText()).containsExactly("p5", "p4");
        String next = page.get("next").asText();
        assertThat(next).matches("/api/phrases\\?before=\\d+&limit=2");
        assertThat(first.headers().firstValue("Link")).hasValue("<" + next + ">; rel=\"next\"");

        JsonNode second = JSON.readTree(http.get(next).body());
        assertThat(second.get("items")).extracting(n -> n.get("text").asText()).containsExactly("p3", "p2");
        JsonNode last = JSON.readTree(http.get(second.get("next").asText()).body());
        assertThat(last.get("items")).extracting(n -> n.get("text").asText()).containsExactly("p1");
        assertThat(last.get("next").isNull()).isTrue();
    }

    @Test
    void defaultLimitIs50() throws Exception {
        for (int i = 0; i < 51; i++) {
            http.postJson("{\"text\": \"p" + i + "\"}");
        }
        JsonNode page = JSON.readTree(http.get("/api/phrases").body());
        assertThat(page.get("items")).hasSize(50);
        assertThat(page.get("next").asText()).endsWith("&limit=50");
    }

    @Test
    void emptyListHasNoNext() throws Exception {
        HttpResponse<String> empty = http.get("/api/phrases");
        assertThat(JSON.readTree(empty.body()).toString()).isEqualTo("{\"items\":[],\"next\":null}");
        assertThat(empty.headers().firstValue("Link")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=abc", "limit=", "before=0", "before=-3", "before=x",
        "before=99999999999999999999"})
    void badBeforeOrLimitIs400ProblemJson(String query) throws Exception {
        HttpResponse<String> answer = http.get("/api/phrases?" + query);
        assertProblem(answer, 400);
    }

    @Test
    void unknownPhraseIs404ProblemJson() throws Exception {
        assertProblem(http.get("/api/phrases/424242"), 404);
        assertProblem(http.get("/api/phrases/abc"), 404);
        assertProblem(http.get("/api/other"), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\": \"x\", \"extra\": 1}", "{}", "{\"txt\": \"x\"}", "{\"text\": 5}",
        "{\"text\": null}", "{\"text\": [\"x\"]}", "[\"x\"]", "\"x\"", "{\"text\": \"x\", \"text\": \"y\"}",
        "{\"text\": \"x\"} {}", "{\"text\": \"x\"", "", "not json"})
    void malformedOrUnexpectedJsonIs400AndStoresNothing(String body) throws Exception {
        assertProblem(http.postJson(body), 400);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\": \"\"}", "{\"text\": \"   \"}", "{\"text\": \"a\\u0000b\"}", "{\"text\": \"a\\nb\"}"})
    void invalidPhrasesAre400WithADetailThatSaysWhatToFix(String body) throws Exception {
        JsonNode problem = assertProblem(http.postJson(body), 400);
        assertThat(problem.get("type").asText()).startsWith("urn:phrasebook:problem:phrase-");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\\ud83d", "\\ud83d", "\\ude00x", "a\\ude00\\ud83db"})
    void aLoneSurrogateIs400AndStoresNothing(String escaped) throws Exception {
        JsonNode problem = assertProblem(http.postJson("{\"text\": \"" + escaped + "\"}"), 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:phrasebook:problem:phrase-lone-surrogate");
        assertThat(problem.get("detail").asText()).contains("lone UTF-16 surrogate");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void aSurrogatePairIsOneCharacter() throws Exception {
        HttpResponse<String> created = http.postJson("{\"text\": \"x\\ud83d\\ude00\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("x😀");
    }

    @Test
    void tooLongIs400AndExactly280CodePointsIsFine() throws Exception {
        assertThat(http.postJson("{\"text\": \"" + "😀".repeat(280) + "\"}").statusCode()).isEqualTo(201);
        JsonNode problem = assertProblem(http.postJson("{\"text\": \"" + "😀".repeat(281) + "\"}"), 400);
        assertThat(problem.get("detail").asText()).contains("280");
        assertThat(TestDatabase.get().phraseCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"})
    void wrongContentTypeIs415(String contentType) throws Exception {
        assertProblem(http.postJson("/api/phrases", "{\"text\": \"x\"}", contentType), 415);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        assertProblem(http.postJson("{\"text\": \"" + "a".repeat(20_000) + "\"}"), 413);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    /** The server refuses on the headers; the client, still sending, must read the 413, not a reset. */
    @Test
    void aClientStillSendingAnOversizedBodyReadsThe413() throws Exception {
        byte[] body = ("{\"text\": \"" + "a".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/phrases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int from = 0; from < body.length; from += 4096) { // as over a slow network
                Thread.sleep(50);
                out.write(body, from, Math.min(4096, body.length - from));
                out.flush();
            }
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    /** A client that waits for 100 Continue before sending is refused at once, without sending the body. */
    @Test
    void aClientExpecting100ContinueGetsThe413Instead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/phrases HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 20000\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(statusLine).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void postingToAPhraseIsNotAllowed() throws Exception {
        assertProblem(http.postJson("/api/phrases/1", "{\"text\": \"x\"}", "application/json"), 405);
    }

    /** Checks the RFC 9457 shape and returns the problem. */
    private static JsonNode assertProblem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=utf-8");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:phrasebook:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }
}
