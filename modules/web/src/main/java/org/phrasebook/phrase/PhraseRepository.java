package org.phrasebook.phrase;

import static org.phrasebook.schema.Tables.PHRASE;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.RecordMapper;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Stores and reads phrases through the jOOQ classes generated from the migrations. */
public final class PhraseRepository {

    static final RecordMapper<Record3<Long, String, OffsetDateTime>, Phrase> TO_PHRASE =
            r -> new Phrase(r.value1(), r.value2(), r.value3().toInstant());

    /** The {@code LISTEN}/{@code NOTIFY} channel on which every add is announced. */
    public static final String ADDED_CHANNEL = "phrase_added";

    /** Longest a search may run in the database. */
    static final int SEARCH_TIMEOUT_SECONDS = 2;

    private final DSLContext db;
    private final PhraseSearch search;
    private final SearchSlots searchSlots;

    /** @param poolSize the connections behind {@code db}; searches may use half of them at once */
    public PhraseRepository(DSLContext db, int poolSize) {
        this.db = db;
        this.search = new PhraseSearch(db, PhraseSearch.DEFAULT_SAMPLE_ROWS, SEARCH_TIMEOUT_SECONDS);
        this.searchSlots = new SearchSlots(SearchSlots.forPool(poolSize), Duration.ofSeconds(SEARCH_TIMEOUT_SECONDS));
    }

    /** The searches' slots: how many run, how many wait, how many were refused. */
    public void bindTo(MeterRegistry registry) {
        searchSlots.bindTo(registry);
    }

    /**
     * One statement, committed when this returns (auto-commit): the {@code INSERT ... RETURNING}
     * and the {@code NOTIFY} on {@link #ADDED_CHANNEL} that announces it to every replica's live
     * streams. The notification belongs to the adding transaction, so an add that rolls back is
     * never announced. Its payload is the row as JSON ({@link PhraseJson#readAnnouncement}).
     */
    public Phrase add(PhraseText text) {
        var added = DSL.name("added").as(DSL.insertInto(PHRASE)
                .set(PHRASE.TEXT, text.value())
                .returningResult(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT));
        Field<Long> id = added.field(PHRASE.ID);
        Field<String> phraseText = added.field(PHRASE.TEXT);
        Field<OffsetDateTime> createdAt = added.field(PHRASE.CREATED_AT);
        Field<String> announcement = DSL.jsonObject(
                // Keys inline: the statement's one parameter is the text (pgbench can replay it).
                DSL.key(DSL.inline("id")).value(id), DSL.key(DSL.inline("text")).value(phraseText),
                DSL.key(DSL.inline("createdAt")).value(createdAt))
                .cast(SQLDataType.VARCHAR);
        return db.with(added)
                .select(id, phraseText, createdAt, DSL.function("pg_notify", Object.class, DSL.inline(ADDED_CHANNEL), announcement))
                .from(added)
                .fetchSingle(r -> new Phrase(r.value1(), r.value2(), r.value3().toInstant()));
    }

    /**
     * Up to {@code limit} phrases with {@code after < id <= upTo}, oldest first, leaving out
     * the ids in {@code skipped}: what a reconnecting live stream missed.
     */
    public List<Phrase> addedBetween(long after, long upTo, Collection<Long> skipped, int limit) {
        return db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
                .from(PHRASE)
                .where(PHRASE.ID.gt(after))
                .and(PHRASE.ID.le(upTo))
                .and(skipped.isEmpty() ? DSL.noCondition() : PHRASE.ID.notIn(skipped))
                .orderBy(PHRASE.ID)
                .limit(limit)
                .fetch(TO_PHRASE);
    }

    /** The ids of the newest {@code count} phrases, newest first. */
    public List<Long> newestIds(int count) {
        return db.select(PHRASE.ID).from(PHRASE).orderBy(PHRASE.ID.desc()).limit(count).fetch(PHRASE.ID);
    }

    public Optional<Phrase> find(long id) {
        return db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
                .from(PHRASE)
                .where(PHRASE.ID.eq(id))
                .fetchOptional(TO_PHRASE);
    }

    /**
     * The newest {@code limit} phrases older than {@code before} (all when empty): one
     * keyset query over the primary key, reading one row more to learn if a next page exists.
     */
    public PhrasePage page(OptionalLong before, int limit) {
        return page(Optional.empty(), before, limit);
    }

    /**
     * The same page of the phrases that contain {@code search}, ignoring case as ILIKE does
     * ({@link PhraseSearch} says how), or of all phrases when empty. Each statement of a
     * search is bounded by {@link #SEARCH_TIMEOUT_SECONDS}: the database cancels it (SQLSTATE
     * 57014) rather than keep a connection and a visitor waiting. Searches run at most half
     * the pool at once ({@link SearchSlots}); one that waits too long for its turn is refused
     * with {@link SearchBusyException}.
     */
    public PhrasePage page(Optional<SearchQuery> search, OptionalLong before, int limit) {
        List<Phrase> rows = search.isPresent()
                ? searchSlots.run(() -> this.search.newest(search.get(), before, limit + 1))
                : db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
                        .from(PHRASE)
                        .where(before.isPresent() ? PHRASE.ID.lt(before.getAsLong()) : DSL.noCondition())
                        .orderBy(PHRASE.ID.desc())
                        .limit(limit + 1)
                        .fetch(TO_PHRASE);
        if (rows.size() <= limit) {
            return new PhrasePage(rows, OptionalLong.empty());
        }
        List<Phrase> items = List.copyOf(rows.subList(0, limit));
        return new PhrasePage(items, OptionalLong.of(items.get(limit - 1).id()));
    }
}
