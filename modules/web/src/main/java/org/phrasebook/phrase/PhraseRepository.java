package org.phrasebook.phrase;

import static org.phrasebook.schema.Tables.PHRASE;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.RecordMapper;
import org.jooq.impl.DSL;

/** Stores and reads phrases through the jOOQ classes generated from the migrations. */
public final class PhraseRepository {

    private static final RecordMapper<Record3<Long, String, OffsetDateTime>, Phrase> TO_PHRASE =
            r -> new Phrase(r.value1(), r.value2(), r.value3().toInstant());

    private final DSLContext db;

    public PhraseRepository(DSLContext db) {
        this.db = db;
    }

    /** One {@code INSERT ... RETURNING}; with auto-commit it is committed when this returns. */
    public Phrase add(PhraseText text) {
        return db.insertInto(PHRASE)
                .set(PHRASE.TEXT, text.value())
                .returningResult(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
                .fetchSingle(TO_PHRASE);
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
        List<Phrase> rows = db.select(PHRASE.ID, PHRASE.TEXT, PHRASE.CREATED_AT)
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
