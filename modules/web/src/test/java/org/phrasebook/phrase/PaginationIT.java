package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phrasebook.schema.Tables.PHRASE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** Keyset pagination reaches every phrase exactly once, on the pages and in the API. */
class PaginationIT {

    private static final int TOTAL = 237;
    private static final Pattern OLDER = Pattern.compile("<a href=\"(/\\?before=\\d+)\" rel=\"next\">");
    private static final Pattern TEXT = Pattern.compile("<span class=\"text\">([^<]*)</span>");

    private final Http http = TestServer.http();

    @BeforeAll
    static void fill() {
        TestServer.http(); // its start migrates the schema this fills
        TestDatabase.get().deleteAllPhrases();
        DSLContext db = TestDatabase.get().dsl();
        db.batch(IntStream.rangeClosed(1, TOTAL)
                .mapToObj(i -> db.insertInto(PHRASE).set(PHRASE.TEXT, "phrase " + i))
                .toList()).execute();
    }

    @Test
    void olderLinksOnThePagesReachEveryPhraseExactlyOnceNewestFirst() {
        List<String> seen = new ArrayList<>();
        String next = "/";
        int pages = 0;
        while (next != null) {
            String body = http.get(next).body();
            Matcher texts = TEXT.matcher(body);
            int onPage = 0;
            while (texts.find()) {
                seen.add(texts.group(1));
                onPage++;
            }
            assertThat(onPage).isBetween(1, PhrasePagesServlet.PAGE_SIZE);
            Matcher older = OLDER.matcher(body);
            next = older.find() ? older.group(1) : null;
            pages++;
        }
        assertThat(pages).isEqualTo((TOTAL + PhrasePagesServlet.PAGE_SIZE - 1) / PhrasePagesServlet.PAGE_SIZE);
        assertThat(seen).containsExactlyElementsOf(IntStream.iterate(TOTAL, i -> i >= 1, i -> i - 1)
                .mapToObj(i -> "phrase " + i).toList());
    }

    @Test
    void nextLinksOfTheApiReachEveryPhraseExactlyOnce() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> seen = new ArrayList<>();
        String next = "/api/phrases?limit=100";
        while (next != null) {
            JsonNode page = json.readTree(http.get(next).body());
            page.get("items").forEach(item -> seen.add(item.get("text").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        assertThat(seen).hasSize(TOTAL).doesNotHaveDuplicates();
        assertThat(seen.get(0)).isEqualTo("phrase " + TOTAL);
        assertThat(seen.get(TOTAL - 1)).isEqualTo("phrase 1");
    }

    @Test
    void aPageBeyondTheOldestSaysSo() {
        assertThat(http.get("/?before=1").body()).contains("No older phrases").contains("Newest phrases");
    }

    @Test
    void theListQueryIsAnIndexScanWithoutSortOrCount() {
        String plan = String.join("\n", TestDatabase.get().dsl().fetchValues(
                "explain select id, text, created_at from phrase where id < 100 order by id desc limit 51")
                .stream().map(String::valueOf).toList());
        assertThat(plan).contains("Index Scan Backward using phrase_pk").doesNotContain("Sort");
    }
}
