package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phrasebook.phrase.PhraseSearch.Plan;

/** How a search chooses its plan; what it finds is {@code PhraseSearchIT}'s. */
class PhraseSearchTest {

    @ParameterizedTest
    @ValueSource(strings = {"que", "ñandú", "50%", "de la", "a b", "¿ab", "x😀yz", "Ab3", "a😀b", "ab😀"})
    void queriesWithATrigramCanUseTheIndex(String query) {
        assertThat(PhraseSearch.hasTrigram(query)).as(query).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "zq", "%", "_", "\\", "%_%", "😀😀😀", "& <", "ab", "a😀"})
    void queriesWithoutOneCannot(String query) {
        assertThat(PhraseSearch.hasTrigram(query)).as(query).isFalse();
    }

    @Test
    void withoutATrigramTheDatabaseHasOnlyTheWalk() {
        assertThat(Plan.choose(false, 0, 1_000, 999_000, 51)).isEqualTo(Plan.PLANNER);
    }

    @Test
    void noMatchInTheSampleTakesTheIndex() {
        assertThat(Plan.choose(true, 0, 1_000, 999_000, 51)).isEqualTo(Plan.INDEX);
    }

    @Test
    void aFrequentQueryWalksOn() {
        // 2%: the page is about 1,550 rows further on; the index would fetch about 20,000 matches.
        assertThat(Plan.choose(true, 20, 1_000, 999_000, 31)).isEqualTo(Plan.WALK_ON);
    }

    @Test
    void aRareQueryTakesTheIndex() {
        // 0.1%: the page is about 50,000 rows further on; the index holds about 1,000 matches.
        assertThat(Plan.choose(true, 1, 1_000, 999_000, 50)).isEqualTo(Plan.INDEX);
    }

    @Test
    void aSmallTableTakesTheIndexForWhatIsLeft() {
        assertThat(Plan.choose(true, 10, 1_000, 100, 41)).isEqualTo(Plan.INDEX);
    }
}
