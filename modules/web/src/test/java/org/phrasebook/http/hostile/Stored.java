package org.phrasebook.http.hostile;

import static org.phrasebook.schema.Tables.PHRASE;

import java.util.List;
import org.jooq.impl.DSL;
import org.phrasebook.support.TestDatabase;

/**
 * What the database holds, read straight from the phrase table. Rows are found by id
 * (everything after the highest id seen before a request: test classes run one at a time,
 * so nothing else adds meanwhile) and by the try's unique marker.
 */
public final class Stored {

    public record Row(long id, String text) {
        @Override
        public String toString() {
            return id + ":«" + Decoding.show(text) + "»";
        }
    }

    private Stored() {
    }

    public static long highestId() {
        Long max = TestDatabase.get().dsl().select(DSL.max(PHRASE.ID)).from(PHRASE).fetchOne(0, Long.class);
        return max == null ? 0 : max;
    }

    public static List<Row> after(long id) {
        return TestDatabase.get().dsl().select(PHRASE.ID, PHRASE.TEXT).from(PHRASE).where(PHRASE.ID.gt(id))
                .orderBy(PHRASE.ID).fetch(r -> new Row(r.value1(), r.value2()));
    }

    public static List<Row> containing(String marker) {
        return TestDatabase.get().dsl().select(PHRASE.ID, PHRASE.TEXT).from(PHRASE)
                .where(DSL.position(PHRASE.TEXT, DSL.inline(marker)).gt(0))
                .orderBy(PHRASE.ID).fetch(r -> new Row(r.value1(), r.value2()));
    }
}
