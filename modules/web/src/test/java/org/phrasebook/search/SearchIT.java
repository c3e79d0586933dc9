package org.phrasebook.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** {@code ?q=} on the list page and the API: what it finds, how it pages, how it shows. */
class SearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OLDER = Pattern.compile("<a href=\"(/\\?before=[^\"]+)\" rel=\"next\">");

    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void findsThePhrasesContainingTheQueryIgnoringCaseNewestFirst() throws Exception {
        add("Hola Mundo", "adiós", "¡HOLA!", "hol a", "chola");
        assertThat(apiTexts("hola")).containsExactly("chola", "¡HOLA!", "Hola Mundo");
        assertThat(apiTexts("ADIÓS")).containsExactly("adiós");
        assertThat(apiTexts("zzz")).isEmpty();
    }

    @Test
    void theQueryIsReadLikeAPhraseTrimmedAndNfc() throws Exception {
        add("un café", "cafe sin tilde");
        assertThat(apiTexts("  cafe\u0301  ")).containsExactly("un café");
    }

    @Test
    void percentUnderscoreAndBackslashFindThemselves() throws Exception {
        add("50% off", "5000 off", "a_b", "axb", "a\\b", "ab");
        assertThat(apiTexts("50%")).containsExactly("50% off");
        assertThat(apiTexts("a_b")).containsExactly("a_b");
        assertThat(apiTexts("\\")).containsExactly("a\\b");
        assertThat(apiTexts("%")).containsExactly("50% off");
    }

    @Test
    void pagesByKeysetAndTheNextLinksKeepTheQuery() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            String text = i % 3 == 0 ? "needle & <" + i + ">" : "hay " + i;
            add(text);
            if (i % 3 == 0) {
                expected.add(0, text);
            }
        }
        // The API, 7 at a time.
        List<String> seen = new ArrayList<>();
        String next = "/api/phrases?limit=7&q=" + encode("NEEDLE");
        while (next != null) {
            JsonNode page = JSON.readTree(http.get(next).body());
            page.get("items").forEach(item -> seen.add(item.get("text").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            assertThat(next == null || next.contains("q=NEEDLE")).as(next).isTrue();
        }
        assertThat(seen).containsExactlyElementsOf(expected);

        // The page, 50 at a time, following its "older" links.
        List<String> pageSeen = new ArrayList<>();
        String href = "/?q=" + encode("needle");
        while (href != null) {
            String body = http.get(href).body();
            Matcher text = Pattern.compile("<span class=\"text\">(.*?)</span>").matcher(body);
            while (text.find()) {
                pageSeen.add(text.group(1).replaceAll("</?mark>", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
            }
            Matcher older = OLDER.matcher(body);
            href = older.find() ? older.group(1).replace("&amp;", "&") : null;
            assertThat(href == null || href.contains("q=needle")).as(href).isTrue();
        }
        assertThat(pageSeen).containsExactlyElementsOf(expected);
    }

    @Test
    void thePageShowsTheQueryAndMarksTheMatchesEscaped() {
        add("<img src=x onerror=alert(1)> Hola y HOLA");
        String body = http.get("/?q=" + encode("hola")).body();
        assertThat(body).contains("value=\"hola\"")
                .contains("&lt;img src=x onerror=alert(1)&gt; <mark>Hola</mark> y <mark>HOLA</mark>")
                .doesNotContain("<img src=x");

        String hostile = http.get("/?q=" + encode("\"><script>x</script>")).body();
        assertThat(hostile).doesNotContain("<script>x").contains("&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
    }

    @Test
    void anEmptyQueryIsThePlainList() throws Exception {
        add("uno", "dos");
        assertThat(apiTexts("")).containsExactly("dos", "uno");
        assertThat(apiTexts("   ")).containsExactly("dos", "uno");
        assertThat(http.get("/?q=").body()).contains("uno").contains("dos");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%0Ab", "%00", "%1B"})
    void aControlCharacterIs400(String q) throws Exception {
        HttpResponse<String> api = http.get("/api/phrases?q=" + q);
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(api.body()).get("type").asText()).isEqualTo("urn:phrasebook:problem:search-control-character");
        assertThat(http.get("/?q=" + q).statusCode()).isEqualTo(400);
    }

    @Test
    void moreThan100CodePointsIs400() throws Exception {
        assertThat(http.get("/api/phrases?q=" + encode("😀".repeat(100))).statusCode()).isEqualTo(200);
        HttpResponse<String> tooLong = http.get("/api/phrases?q=" + "a".repeat(101));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).get("type").asText()).isEqualTo("urn:phrasebook:problem:search-too-long");
    }

    @Test
    void aSearchTheDatabaseCannotAnswerInTimeIs503() throws Exception {
        add("hola");
        // A lock makes the search wait; its 2 s timeout fires before the 3 s lock timeout.
        try (Connection lock = TestDatabase.get().dataSource().getConnection(); Statement sql = lock.createStatement()) {
            lock.setAutoCommit(false);
            sql.execute("lock table phrase in access exclusive mode");
            long start = System.nanoTime();
            HttpResponse<String> api = http.get("/api/phrases?q=hola");
            long millis = (System.nanoTime() - start) / 1_000_000;
            lock.rollback();
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(api.body()).get("type").asText()).isEqualTo("urn:phrasebook:problem:search-timeout");
            assertThat(millis).isBetween(1_500L, 4_000L);
        }
        assertThat(apiTexts("hola")).containsExactly("hola");
    }

    @Test
    void aTrigramIndexServesTheSearch() {
        String definition = TestDatabase.get().dsl().fetchValue(
                "select indexdef from pg_indexes where tablename = 'phrase' and indexname = 'phrase_text_lower_trigram'").toString();
        assertThat(definition)
                .contains("USING gin (text_lower gin_trgm_ops)");
    }

    @Test
    void anAddGoesIntoTheIndexItselfNotIntoAPendingListEverySearchReads() throws Exception {
        add("sin lista pendiente");
        // The number of pending-list pages it had to merge: none (migration V4).
        Object merged = TestDatabase.get().dsl().fetchValue("select gin_clean_pending_list('phrase_text_lower_trigram'::regclass)");
        assertThat(merged).hasToString("0");
        assertThat(apiTexts("pendiente")).containsExactly("sin lista pendiente");
    }

    private void add(String... texts) {
        for (String text : texts) {
            assertThat(http.postJson("{\"text\": " + quote(text) + "}").statusCode()).as(text).isEqualTo(201);
        }
    }

    private List<String> apiTexts(String q) throws Exception {
        HttpResponse<String> answer = http.get("/api/phrases?limit=100&q=" + encode(q));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        JSON.readTree(answer.body()).get("items").forEach(item -> texts.add(item.get("text").asText()));
        return texts;
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
