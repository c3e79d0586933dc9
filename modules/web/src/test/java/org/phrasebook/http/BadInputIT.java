package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * The bad-input table of the product contract, from outside: each gets a clear answer,
 * nothing is stored, and no answer shows a stack trace.
 */
class BadInputIT {

    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%20", "/%20%20%20", "/%09", "/%E3%80%80", "/%C2%A0", "/%E2%80%8B", "/%EF%BB%BF"})
    void blankPhraseInThePathIs400(String path) {
        assertRejected(http.get(path), 400, "The phrase is empty|Bad request");
    }

    @Test
    void tooLongPhraseInThePathIs400But280EmojiAreFine() {
        String emoji = "%F0%9F%98%80";
        assertThat(http.get("/" + emoji.repeat(280)).statusCode()).isEqualTo(303);
        TestDatabase.get().deleteAllPhrases();
        assertRejected(http.get("/" + "a".repeat(281)), 400, "The phrase is too long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/a%0Ab", "/a%7Fb", "/a%C2%85b", "/a%1Bb"})
    void controlCharactersInThePathAre400(String path) {
        assertRejected(http.get(path), 400, "control character|Bad request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%FF", "/%C3", "/%C3%28", "/%ED%A0%80", "/abc%E2%82"})
    void invalidPercentEncodingIs400(String path) {
        assertRejected(http.get(path), 400, "UTF-8");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/50%25%20off | 50% off",
        "/a%5Cb | a\\b",
        "/%25 | %",
        "/a%3Bb | a;b",
        "/a%2Fb | a/b",
        "/100%25%25 | 100%%",
    })
    void percentBackslashAndSlashAreDataInAPhrase(String path, String stored) {
        assertThat(http.get(path).statusCode()).as(path).isEqualTo(303);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/%zz", "/a%2"})
    void brokenPercentEscapesAre400(String path) throws IOException {
        // java.net.URI refuses to build these, so they go over a plain socket.
        String raw = rawExchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400").contains("UTF-8");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void aRequestLineTooLongForTheServerIs414() {
        assertRejected(http.get("/" + "a".repeat(20_000)), 414, "too long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/favicon.ico", "/robots.txt", "/static", "/static/", "/static/nothing.css", "/api",
        "/api/", "/api/nothing", "/phrases", "/healthz", "/readyz", "/metrics", "/a/b", "/Gracias/", "/a/b/c",
        "/HEALTHZ", "/Metrics", "/%66avicon.ico"})
    void reservedPathsAreNeverStored(String path) {
        http.get(path);
        assertThat(TestDatabase.get().phraseCount()).as(path).isZero();
    }

    @Test
    void aSecondPathSegmentIs404AsInTheDemo() {
        assertRejected(http.get("/a/b"), 404, "Not found");
    }

    @ParameterizedTest
    @CsvSource({
        "DELETE, /Gracias, GET",
        "PUT, /, 'GET, HEAD'",
        "TRACE, /, 'GET, HEAD'",
        "OPTIONS, /, 'GET, HEAD'",
        "PATCH, /phrases, POST",
        "GET, /phrases, POST",
        "HEAD, /Gracias, GET",
        "TRACE, /api/phrases, 'GET, HEAD, POST'",
        "DELETE, /api/phrases/1, 'GET, HEAD'",
        "OPTIONS, /healthz, 'GET, HEAD'",
        "TRACE, /static/style.css, 'GET, HEAD'",
        "PUT, /robots.txt, 'GET, HEAD'",
    })
    void otherMethodsAre405WithAllowAndAddNothing(String method, String path, String allow) {
        HttpResponse<String> answer = http.send(http.request(path).method(method,
                java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).hasValue(allow);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).endsWith(";charset=utf-8"));
        assertThat(answer.body()).doesNotContain("TRACE").doesNotContain("User-Agent");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void aMalformedRequestGetsAnErrorWithSafeHeaders() throws IOException {
        String raw = rawExchange("GET /%FF HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw.toLowerCase()).contains("content-type: text/html;charset=utf-8")
                .contains("content-security-policy: default-src 'none'")
                .contains("x-content-type-options: nosniff");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void garbageInsteadOfHttpDoesNotHangTheServer() throws IOException {
        String raw = rawExchange("\u0001\u0002 nonsense \r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    }

    private void assertRejected(HttpResponse<String> answer, int status, String bodyPattern) {
        assertThat(answer.statusCode()).as(answer.uri().toString()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(answer.body()).containsPattern(bodyPattern).doesNotContain("Exception").doesNotContain("at org.");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    private String rawExchange(String request) throws IOException {
        int port = Integer.parseInt(http.origin().replaceAll(".*:", ""));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
