package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phrasebook.schema.Tables.PHRASE;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** {@code GET /} and the demo's routes, {@code GET /<phrase>} and {@code GET /prueba}, over real HTTP. */
class PhrasePagesIT {

    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void emptyListShowsTheFormAndAnEmptyStateMessage() {
        HttpResponse<String> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body())
                .contains("<form class=\"add\" method=\"post\" action=\"/phrases\"")
                .contains("No phrases yet")
                .contains("<ol class=\"phrases\" data-live-after=\"0\">");
        // One script, same-origin and empty-bodied (the CSP refuses inline script anyway).
        assertThat(page.body().split("<script", -1)).hasSize(2);
        assertThat(page.body()).contains("<script src=\"/static/live.js\" defer></script>");
    }

    @ParameterizedTest
    @CsvSource({
        "/Gracias, Gracias",
        "/hola%20mundo, hola mundo",
        "/%C3%B1and%C3%BA, ñandú",
        "/a+b, a+b",
        "/%F0%9F%98%80, 😀",
        "/%20%20padded%20%20, padded",
        "/1%2F2, 1/2",
        "/%3Cscript%3Ealert(1)%3C%2Fscript%3E, <script>alert(1)</script>",
        "/%27%3B%20drop%20table%20phrase%3B%20--, '''; drop table phrase; --'",
    })
    void addsThePhraseInThePathAndRedirectsToTheConfirmation(String path, String stored) {
        HttpResponse<String> added = http.get(path);
        assertThat(added.statusCode()).isEqualTo(303);
        long id = Http.addedId(added);
        assertThat(added.headers().firstValue("Location")).hasValue("/?added=" + id);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly(stored);

        HttpResponse<String> page = http.get("/?added=" + id);
        assertThat(page.body())
                .contains("«" + html(stored) + "» added")
                .contains("<li data-id=\"" + id + "\" class=\"new\" id=\"added\">")
                .contains("#" + id);
    }

    /** How FreeMarker's HTML escaping writes the text. */
    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    @ParameterizedTest
    @CsvSource({"/prueba", "/Prueba", "/PRUEBA", "/pRuEbA"})
    void pruebaInAnyCaseAddsFunciona(String path) {
        HttpResponse<String> added = http.get(path);
        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Funciona!");
    }

    @Test
    void aFullPageIsSentWholeWithItsLength() {
        for (int i = 0; i < 60; i++) {
            TestDatabase.get().dsl().insertInto(PHRASE, PHRASE.TEXT).values("¡Ñandú número " + i + " & <…>!").execute();
        }
        HttpResponse<String> page = http.get("/");
        assertThat(page.body()).contains("Ñandú número 59 &amp; &lt;…&gt;").doesNotContain("número 9 ");
        assertThat(page.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(page.headers().firstValueAsLong("Content-Length"))
                .hasValue(page.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void reloadingTheConfirmationAddsNothing() {
        long id = Http.addedId(http.get("/Gracias"));
        http.get("/?added=" + id);
        http.get("/?added=" + id);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Gracias");
    }

    @Test
    void duplicatesAreSeparateEntries() {
        long first = Http.addedId(http.get("/Gracias"));
        long second = Http.addedId(http.get("/Gracias"));
        assertThat(second).isGreaterThan(first);
        assertThat(TestDatabase.get().phraseTexts()).containsExactly("Gracias", "Gracias");
    }

    @Test
    void listsNewestFirstWithNumberAndTime() {
        http.get("/uno");
        http.get("/dos");
        String body = http.get("/").body();
        assertThat(body.indexOf(">dos<")).isPositive().isLessThan(body.indexOf(">uno<"));
        assertThat(body).containsPattern("<time datetime=\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>");
    }

    @Test
    void markupAndSqlAreStoredExactlyAndShownAsText() {
        String script = "<script>alert('x')</script> & \"quotes\"";
        String sql = "'; drop table phrase; --";
        http.postForm(script);
        http.postForm(sql);
        assertThat(TestDatabase.get().phraseTexts()).containsExactlyInAnyOrder(script, sql);
        String body = http.get("/").body();
        assertThat(body)
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
                .contains("&#39;; drop table phrase; --")
                .doesNotContain("<script>");
    }

    @Test
    void speaksSpanishForSpanishBrowsersAndOnRequest() {
        long id = Http.addedId(http.get("/Gracias"));
        assertThat(http.get("/?added=" + id, "Accept-Language", "es-ES,es;q=0.9").body())
                .contains("<html lang=\"es\">").contains("«Gracias» añadida").contains("Añadir");
        assertThat(http.get("/?lang=es").body()).contains("<html lang=\"es\">");
        assertThat(http.get("/?lang=en", "Accept-Language", "es").body()).contains("<html lang=\"en\">");
        assertThat(http.get("/", "Accept-Language", "fr").body()).contains("<html lang=\"en\">").contains("Add");
    }

    @Test
    void theFormCarriesOnlyAnExplicitlyChosenLanguage() {
        assertThat(http.get("/", "Accept-Language", "es").body()).doesNotContain("name=\"lang\"");
        assertThat(http.get("/?lang=es").body()).contains("<input type=\"hidden\" name=\"lang\" value=\"es\">");
    }

    @Test
    void anExplicitLanguageSurvivesTheRedirect() {
        HttpResponse<String> added = http.get("/Gracias?lang=es");
        assertThat(added.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("&lang=es"));
    }

    @Test
    void headAddsNothing() {
        assertThat(http.head("/Gracias").statusCode()).isEqualTo(405);
        assertThat(http.head("/").statusCode()).isEqualTo(200);
        assertThat(TestDatabase.get().phraseTexts()).isEmpty();
    }

    @Test
    void servesTheStylesheetAndRobotsTxt() {
        HttpResponse<String> css = http.get("/static/style.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(css.body()).contains("body {");
        HttpResponse<String> robots = http.get("/robots.txt");
        assertThat(robots.body()).contains("Disallow: /");
        assertThat(TestDatabase.get().phraseTexts()).isEmpty();
    }
}
