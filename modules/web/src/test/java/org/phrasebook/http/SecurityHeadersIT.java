package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestServer;

/** Every response, error pages included, carries a UTF-8 content type and the safe headers. */
class SecurityHeadersIT {

    private final Http http = TestServer.http();

    @ParameterizedTest
    @ValueSource(strings = {"/", "/?lang=es", "/Gracias", "/prueba", "/%FF", "/%20", "/a/b", "/favicon.ico",
        "/static/style.css", "/static/missing.css", "/robots.txt", "/healthz", "/readyz", "/api/phrases",
        "/api/phrases/999999", "/api/phrases?limit=0", "/phrases", "/?before=x", "/a%2Fb"})
    void everyAnswerCarriesTheSafeHeaders(String path) {
        assertSafe(http.get(path));
    }

    @ParameterizedTest
    @ValueSource(ints = {8_000, 20_000})
    void evenAnswersToOversizedRequests(int length) {
        assertSafe(http.get("/" + "a".repeat(length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", ""})
    void andToPosts(String text) {
        assertSafe(http.postForm(text));
        assertSafe(http.postForm(text, "Sec-Fetch-Site", "cross-site"));
        assertSafe(http.postJson("{\"text\": \"" + text + "\"}"));
    }

    private static void assertSafe(HttpResponse<String> answer) {
        String where = answer.request().method() + " " + answer.uri() + " -> " + answer.statusCode();
        assertThat(answer.headers().firstValue("Content-Type")).as(where)
                .hasValueSatisfying(type -> assertThat(type.toLowerCase()).contains("charset=utf-8"));
        assertThat(answer.headers().firstValue("Content-Security-Policy")).as(where)
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("default-src 'none'")
                        .contains("frame-ancestors 'none'")
                        .doesNotContain("unsafe-inline"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(where).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Referrer-Policy")).as(where).isPresent();
        assertThat(answer.body()).as(where).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
