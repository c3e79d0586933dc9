package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** {@code POST /phrases}: the form, its validation, and the cross-site check. */
class PhraseFormIT {

    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void addsTheTrimmedPhraseAndRedirectsToTheConfirmation() {
        HttpResponse<String> added = http.postForm("  ñandú 😀  ", "Origin", http.origin());
        assertThat(added.statusCode()).isEqualTo(303);
        long id = Http.addedId(added);
        assertThat(added.headers().firstValue("Location")).hasValue("/?added=" + id);
        assertThat(TestDatabase.get().phraseCount()).isEqualTo(1);
        assertThat(http.get("/?added=" + id).body()).contains("«ñandú 😀» added");
    }

    @Test
    void keepsTheChosenLanguageAcrossTheRedirect() {
        HttpResponse<String> added = http.postRawForm("text=Hola&lang=es");
        assertThat(added.headers().firstValue("Location")).hasValue("/?added=" + Http.addedId(added) + "&lang=es");
    }

    @ParameterizedTest
    @CsvSource({"same-origin", "none"})
    void acceptsSameOriginBrowserPosts(String fetchSite) {
        assertThat(http.postForm("ok", "Sec-Fetch-Site", fetchSite, "Origin", http.origin()).statusCode()).isEqualTo(303);
        assertThat(TestDatabase.get().phraseCount()).isEqualTo(1);
    }

    @Test
    void acceptsClientsThatAreNotBrowsers() {
        assertThat(http.postForm("from curl").statusCode()).isEqualTo(303);
        assertThat(TestDatabase.get().phraseCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
        "Sec-Fetch-Site, cross-site",
        "Sec-Fetch-Site, same-site",
        "Origin, https://evil.example",
        "Origin, null",
        "Origin, http://127.0.0.1:1",
    })
    void refusesPostsFromOtherSites(String header, String value) {
        HttpResponse<String> refused = http.postForm("csrf", header, value);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(refused.body()).contains("Request from another site refused");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void aRejectedPhraseComesBackInTheFormSoNothingIsLost() {
        String tooLong = "x".repeat(281);
        HttpResponse<String> rejected = http.postForm(tooLong);
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body())
                .contains("The phrase is too long")
                .contains("at most 280 characters")
                .contains("value=\"" + tooLong + "\"");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void aMissingFieldIsABlankPhrase() {
        HttpResponse<String> rejected = http.postRawForm("other=1");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("The phrase is empty");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {16 * 1024 + 1, 100_000})
    void anOversizedFormIs413(int bytes) {
        HttpResponse<String> refused = http.postRawForm("text=" + "a".repeat(bytes - 5));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(refused.body()).contains("The request body is too large");
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void anOversizedFormWithoutContentLengthIs413Too() {
        byte[] body = ("text=" + "a".repeat(20_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // A publisher of unknown length makes the client send the body chunked.
        HttpResponse<String> refused = http.send(http.request("/phrases")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.fromPublisher(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void exactly16KiBIsNotRefusedForItsSize() {
        String body = "text=" + "a".repeat(280) + "&pad=" + "b".repeat(16 * 1024 - 290);
        assertThat(body).hasSize(16 * 1024);
        assertThat(http.postRawForm(body).statusCode()).isEqualTo(303);
    }

    @Test
    void invalidUtf8InTheFormIsABadRequest() {
        HttpResponse<String> refused = http.postRawForm("text=%FF");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void otherBodyTypesAre415() {
        HttpResponse<String> multipart = http.send(http.request("/phrases")
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhola\r\n--x--\r\n")));
        assertThat(multipart.statusCode()).isEqualTo(415);
        assertThat(multipart.body()).contains("application/x-www-form-urlencoded");
        HttpResponse<String> json = http.send(http.request("/phrases")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\": \"hola\"}")));
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }

    @Test
    void getIsNotAllowed() {
        HttpResponse<String> answer = http.get("/phrases");
        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(TestDatabase.get().phraseCount()).isZero();
    }
}
