package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phrasebook.schema.Tables.PHRASE;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * Every plan {@link PhraseSearch} may choose finds what the plain query finds, page after
 * page. With a sample of 40 rows and pages of 10, 3,000 rows make each query below take
 * another plan (the comments say which; {@code PhraseSearchTest} checks the choices).
 */
class PhraseSearchIT {

    private static final int ROWS = 3_000;
    private static final int SAMPLE = 40;
    private static final int PAGE = 10;

    private static DSLContext db;
    private static long newest;

    @BeforeAll
    static void fill() {
        TestServer.http(); // starting the server migrates the shared database
        TestDatabase.get().deleteAllPhrases();
        db = TestDatabase.get().dsl();
        var insert = db.insertInto(PHRASE, PHRASE.TEXT);
        for (int i = 1; i <= ROWS; i++) {
            insert = insert.values(text(i, ROWS - i));
        }
        insert.execute();
        newest = db.select(DSL.max(PHRASE.ID)).from(PHRASE).fetchSingle().value1();
    }

    /** Row {@code i} of {@link #ROWS}, {@code age} rows older than the newest. */
    private static String text(int i, int age) {
        List<String> words = new ArrayList<>(List.of("Fila " + i));
        if (i % 3 == 0) {
            words.add("común"); // a third: the sample fills the page
        }
        if (i % 20 == 0) {
            words.add("Frecuente"); // 5%: the sample finds 2, the walk goes on
        }
        if (age < SAMPLE && i % 4 == 0 || i % 500 == 0) {
            words.add("ráfaga"); // a burst among the newest, then rare: the walk goes on, falls short, and all matches end
        }
        if (i % 700 == 0) {
            words.add("raro"); // 4 rows, none in the sample: all matches, through the index
        }
        if (i % 30 == 0) {
            words.add("zq"); // no trigram, one or two in the sample: the walk goes on
        }
        if (i % 2 == 0 && age >= 200) {
            words.add("Antiguo"); // half the rows, but none of the newest 200: more than all matches may take, so it walks on
        }
        if (i % 650 == 1) {
            words.add("100%"); // no trigram in "%", none in the sample: all matches, reading every older row
        }
        return String.join(" ", words);
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMÚN", "frecuente", "RÁFAGA", "raro", "zq", "%", "fila 1", "nada", "ila 29", "antiguo"})
    void everyPlanFindsWhatThePlainQueryFinds(String text) {
        SearchQuery query = new SearchQuery(text);
        PhraseSearch search = new PhraseSearch(db, SAMPLE, 2);
        for (long start : new long[] {newest + 1, newest + 5_000, newest - 1_234, newest - ROWS + 3}) {
            List<Long> expected = plainQuery(text, start);
            List<Long> found = new ArrayList<>();
            OptionalLong before = OptionalLong.of(start);
            while (true) {
                List<Phrase> page = search.newest(query, before, PAGE + 1);
                page.stream().limit(PAGE).forEach(phrase -> found.add(phrase.id()));
                if (page.size() <= PAGE) {
                    break;
                }
                before = OptionalLong.of(page.get(PAGE - 1).id());
            }
            assertThat(found).as("%s before %d", text, start).containsExactlyElementsOf(expected);
        }
        assertThat(search.newest(query, OptionalLong.empty(), PAGE + 1))
                .extracting(Phrase::id)
                .containsExactlyElementsOf(plainQuery(text, newest + 1).stream().limit(PAGE + 1).toList());
    }

    /**
     * A statement the driver prepares on the server (after five runs on a connection) may get
     * one plan for every pattern, which for a query without a trigram reads the whole index.
     * So no search statement stays prepared, however often the same one runs.
     */
    @Test
    void searchStatementsAreNotKeptPreparedOnTheServer() throws SQLException {
        try (Connection connection = TestDatabase.get().dataSource().getConnection()) {
            DSLContext oneConnection = DSL.using(connection, SQLDialect.POSTGRES);
            PhraseSearch search = new PhraseSearch(oneConnection, SAMPLE, 2);
            for (int run = 0; run < 10; run++) {
                for (String text : List.of("frecuente", "raro", "%")) {
                    assertThat(search.newest(new SearchQuery(text), OptionalLong.empty(), PAGE)).isNotEmpty();
                }
            }
            assertThat(oneConnection.fetchValue(
                    "select count(*) from pg_prepared_statements where statement like '%text_lower%'"))
                    .isEqualTo(0L);
        }
    }

    /** The ids an independent match (position in lower case, no pattern) finds, newest first. */
    private static List<Long> plainQuery(String text, long before) {
        return db.select(PHRASE.ID)
                .from(PHRASE)
                .where(PHRASE.ID.lt(before))
                .and(DSL.position(DSL.lower(PHRASE.TEXT), DSL.lower(DSL.val(text))).gt(0))
                .orderBy(PHRASE.ID.desc())
                .fetch(PHRASE.ID);
    }
}
