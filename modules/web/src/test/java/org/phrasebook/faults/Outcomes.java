package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** What the tests ask of a load's outcomes, and the one check every fault shares: nothing acknowledged is lost. */
final class Outcomes {

    private Outcomes() {
    }

    /** Id to text of every acknowledged add; fails if one id was acknowledged twice. */
    static Map<Long, String> acknowledged(List<Outcome> outcomes) {
        Map<Long, String> acknowledged = new HashMap<>();
        for (Outcome outcome : outcomes) {
            if (outcome.acknowledged()) {
                String earlier = acknowledged.put(outcome.id().getAsLong(), outcome.text());
                assertThat(earlier).as("id %d acknowledged for two adds", outcome.id().getAsLong()).isNull();
            }
        }
        return acknowledged;
    }

    static List<Outcome> where(List<Outcome> outcomes, Predicate<Outcome> filter) {
        return outcomes.stream().filter(filter).toList();
    }

    /** E.g. {@code 412 adds: 303=270 201=130 503=12}, for the test's log and the report. */
    static String summary(List<Outcome> outcomes) {
        Map<String, Long> kinds = new TreeMap<>(outcomes.stream()
                .collect(Collectors.groupingBy(Outcome::kind, Collectors.counting())));
        long slowest = outcomes.stream().mapToLong(o -> o.took().toMillis()).max().orElse(0);
        return outcomes.size() + " adds: " + kinds + ", slowest " + slowest + " ms";
    }

    /**
     * Every acknowledged add is in the table exactly once with the text that was sent, and no
     * text of this load is stored twice. Returns how many of its texts are stored without
     * an acknowledgement (committed, but the answer was lost or said otherwise), for the log.
     */
    static int assertStoredExactlyOnce(DataSource database, String label, Map<Long, String> acknowledged)
            throws SQLException {
        Map<Long, String> stored = new HashMap<>();
        List<String> texts = new ArrayList<>();
        forEachStored(database, label, (id, text) -> {
            stored.put(id, text);
            texts.add(text);
        });
        assertThat(acknowledged).as("acknowledged adds").isNotEmpty();
        assertThat(stored).as("stored phrases of this load").containsAllEntriesOf(acknowledged);
        assertThat(texts).as("texts of this load in the table").doesNotHaveDuplicates();
        return stored.size() - acknowledged.size();
    }

    /** The ids of this load's stored phrases, in id order. */
    static List<Long> storedIds(DataSource database, String label) throws SQLException {
        List<Long> ids = new ArrayList<>();
        forEachStored(database, label, (id, text) -> ids.add(id));
        return ids;
    }

    private static void forEachStored(DataSource database, String label, BiConsumer<Long, String> row) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement("select id, text from phrase where text like ? order by id")) {
            select.setString(1, label + "-%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    row.accept(rows.getLong(1), rows.getString(2));
                }
            }
        }
    }
}
