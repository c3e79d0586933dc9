package org.phrasebook.phrase;

import static org.phrasebook.schema.Tables.PHRASE;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A page of the phrases that contain a search query, newest first, at a cost that does not
 * depend on PostgreSQL's guess of how often the query matches.
 *
 * <p>Newest-first with a substring filter has two plans: walk the primary key from the newest
 * row and filter, which reads about {@code page ÷ frequency} rows, or take every match from
 * the trigram index (migrations V2 and V3) and sort them, which costs about the number of
 * matches. Left to itself the planner picks one from its statistics, which cannot tell a
 * query in 0.1% of the rows from one in 2%: on 1,000,000 rows a wrong pick cost 170–340 ms
 * where the other plan took 5 (docs/PERFORMANCE.md, Search). So the search measures the
 * frequency itself, in the newest rows, and then gives PostgreSQL a statement with only one
 * sensible plan. The newest rows can mislead (a burst of other phrases on top of a common
 * query's matches), so taking every match stops at a bound and gives way to walking on.
 */
final class PhraseSearch {

    /** How many of the newest rows a search walks first (about 0.6 ms); a common query's page is there. */
    static final int DEFAULT_SAMPLE_ROWS = 2_000;

    /** Identity ids start at 1 (migration V1): a walk that reaches it has read every row. */
    private static final long FIRST_ID = 1;

    /**
     * What one match taken through the trigram index costs, in rows walked: it is fetched from
     * its own page and matched again, 3–5 µs on the benchmark's machine against 0.3 µs for a
     * row walked in order (docs/PERFORMANCE.md, Search).
     */
    private static final double INDEXED_MATCH_COST = 10;

    /** What a row read in table order costs, in rows walked (0.16 against 0.3 µs). */
    private static final double SCANNED_ROW_COST = 0.5;

    /** How many times more older matches than the sample let expect mean that it misled. */
    static final int SURPRISE = 4;

    /** The fewest older matches taken before giving way (about 4 ms of fetching them). */
    static final int MIN_MATCH_LIMIT = 1_000;

    private final DSLContext db;
    private final int sampleRows;
    private final int timeoutSeconds;

    PhraseSearch(DSLContext db, int sampleRows, int timeoutSeconds) {
        this.db = db.configuration().deriveAppending(new PlannedForTheirValues()).dsl();
        this.sampleRows = sampleRows;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Up to {@code want} matches older than {@code before} (all when empty), newest first. */
    List<Phrase> newest(SearchQuery query, OptionalLong before, int want) {
        // A "before" past the newest row would make the sample a walk over no rows.
        long upTo = Math.min(before.orElse(Long.MAX_VALUE), newestId() + 1);
        long from = Math.max(upTo - sampleRows, FIRST_ID);
        if (upTo <= from) {
            return List.of();
        }
        List<Phrase> found = new ArrayList<>(walk(query, from, upTo, want));
        boolean indexed = hasTrigram(query.text());
        // Set when taking every older match gave way: the query is commoner in the older rows
        // than in the newest (a burst of other phrases on top), so walk on instead.
        double knownFrequency = 0;
        while (found.size() < want && from > FIRST_ID) {
            long walked = upTo - from;
            long older = from - FIRST_ID;
            int missing = want - found.size();
            if (knownFrequency == 0 && Plan.choose(indexed, found.size(), walked, older, missing) == Plan.ALL_MATCHES) {
                int limit = matchLimit(found.size(), walked, older);
                Optional<List<Phrase>> all = allMatches(query, from, missing, limit);
                if (all.isPresent()) {
                    found.addAll(all.get());
                    return found;
                }
                knownFrequency = (double) limit / older;
            }
            long next = Math.max(from - walkWindow(found.size(), walked, knownFrequency, missing), FIRST_ID);
            found.addAll(walk(query, next, from, missing));
            from = next;
        }
        return found;
    }

    /**
     * How many more rows to walk: twice as many as should hold the missing matches, at the
     * frequency found so far (or {@code knownFrequency}, if higher), and at least as many as
     * walked so far, so that a search misled by its sample needs few statements.
     */
    static long walkWindow(int found, long walked, double knownFrequency, int missing) {
        double frequency = Math.max((double) found / walked, knownFrequency);
        return frequency > 0 ? Math.max((long) Math.ceil(2 * missing / frequency), walked) : Long.MAX_VALUE;
    }

    /**
     * How many older matches "take every match" reads before it gives way to walking on:
     * {@value #SURPRISE} times what the sample let expect, at least {@value #MIN_MATCH_LIMIT}.
     * The sample can mislead: after a burst of other phrases a common query finds nothing in
     * it, and taking its every match cost 0.4 s on 1,000,000 rows (docs/PERFORMANCE.md).
     */
    static int matchLimit(int found, long walked, long older) {
        double expected = Math.max(found, 1) * (double) older / walked;
        return (int) Math.min(Integer.MAX_VALUE - 1, Math.max(MIN_MATCH_LIMIT, Math.ceil(SURPRISE * expected)));
    }

    /** How the rows older than the sample are searched, from what the sample found. */
    enum Plan {
        /** Go on walking the primary key: the query is frequent enough to fill the page soon. */
        WALK_ON,
        /** Take every older match and keep the newest: the query is rare, or absent from the sample. */
        ALL_MATCHES;

        /**
         * @param hasTrigram whether the trigram index can find the matches; if not, finding
         *     them all means reading every older row
         * @param found matches among the {@code walked} newest rows
         * @param older rows older than those (about: ids may have gaps)
         */
        static Plan choose(boolean hasTrigram, int found, long walked, long older, int missing) {
            if (found == 0) {
                return ALL_MATCHES;
            }
            double frequency = (double) found / walked;
            double walkOn = missing / frequency;
            double allMatches = hasTrigram ? INDEXED_MATCH_COST * frequency * older : SCANNED_ROW_COST * older;
            return walkOn <= allMatches ? WALK_ON : ALL_MATCHES;
        }
    }

    /**
     * Whether pg_trgm takes a trigram from {@code LIKE '%query%'}, and so can use the index. It
     * reads runs of letters and digits; a run inside the query counts as a word and is padded
     * with two spaces before it and one after, while the query's ends touch {@code %} and are
     * not padded. One trigram needs three characters of a padded run.
     */
    static boolean hasTrigram(String query) {
        int length = query.length();
        int i = 0;
        while (i < length) {
            int start = i;
            while (i < length && Character.isLetterOrDigit(query.codePointAt(i))) {
                i += Character.charCount(query.codePointAt(i));
            }
            if (i > start) {
                int padded = query.codePointCount(start, i) + (start > 0 ? 2 : 0) + (i < length ? 1 : 0);
                if (padded >= 3) {
                    return true;
                }
            } else {
                i += Character.charCount(query.codePointAt(i));
            }
        }
        return false;
    }

    /**
     * {@code text ILIKE '%query%'} with the query taken literally, as PostgreSQL defines ILIKE
     * but on the lowercase text stored with each row (migration V3), so no row is lowercased
     * while a search reads it.
     */
    private static Condition contains(Field<String> textLower, SearchQuery query) {
        return textLower.contains(DSL.lower(DSL.val(query.text())));
    }

    private long newestId() {
        Long newest = db.select(DSL.max(PHRASE.ID)).from(PHRASE).queryTimeout(timeoutSeconds).fetchSingle().value1();
        return newest == null ? FIRST_ID - 1 : newest;
    }

    /**
     * The matches among the rows with {@code from <= id < upTo}, newest first: the primary key
     * walked backwards. The inner {@code LIMIT} keeps PostgreSQL from folding the match into
     * the walk and choosing the trigram index instead.
     */
    private List<Phrase> walk(SearchQuery query, long from, long upTo, int want) {
        Table<?> rows = db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT, PHRASE.TEXT_LOWER)
                .from(PHRASE)
                .where(PHRASE.ID.ge(from))
                .and(PHRASE.ID.lt(upTo))
                .orderBy(PHRASE.ID.desc())
                .limit(upTo - from)
                .asTable("walked");
        return db.select(rows.field(PHRASE.ID), rows.field(PHRASE.TEXT), rows.field(PHRASE.CREATED_AT))
                .from(rows)
                .where(contains(rows.field(PHRASE.TEXT_LOWER), query))
                .orderBy(rows.field(PHRASE.ID).desc())
                .limit(want)
                .queryTimeout(timeoutSeconds)
                .fetch(PhraseRepository.TO_PHRASE);
    }

    /**
     * The newest {@code want} matches with {@code id < below}, out of all of them; empty when
     * there are more than {@code limit}. The materialized CTE has no order to keep, so
     * PostgreSQL finds them through the trigram index, or by reading the rows in table order
     * when the query has no trigram, never by walking the primary key. It plans the CTE for
     * all its rows but runs it only as far as it is read, so the {@code LIMIT} outside it stops
     * the reading without changing the plan.
     */
    private Optional<List<Phrase>> allMatches(SearchQuery query, long below, int want, int limit) {
        var matches = DSL.name("matches").asMaterialized(
                db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
                        .from(PHRASE)
                        .where(PHRASE.ID.lt(below))
                        .and(contains(PHRASE.TEXT_LOWER, query)));
        Table<?> read = db.select(matches.fields()).from(matches).limit(limit + 1).asTable("read");
        Field<Integer> count = DSL.count().over().as("count");
        var rows = db.with(matches)
                .select(read.field(PHRASE.ID), read.field(PHRASE.TEXT), read.field(PHRASE.CREATED_AT), count)
                .from(read)
                .orderBy(read.field(PHRASE.ID).desc())
                .limit(want)
                .queryTimeout(timeoutSeconds)
                .fetch();
        if (rows.isNotEmpty() && rows.get(0).value4() > limit) {
            return Optional.empty();
        }
        return Optional.of(rows.map(r -> new Phrase(r.value1(), r.value2(), r.value3().toInstant())));
    }
}
