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
    void noMatchInTheSampleTakesAllMatches() {
        assertThat(Plan.choose(true, 0, 2_000, 998_000, 51)).isEqualTo(Plan.ALL_MATCHES);
        assertThat(Plan.choose(false, 0, 2_000, 998_000, 51)).isEqualTo(Plan.ALL_MATCHES);
    }

    @Test
    void aFrequentQueryWalksOn() {
        // 1%: the page is about 3,100 rows further on; the index would fetch about 10,000 matches.
        assertThat(Plan.choose(true, 20, 2_000, 998_000, 31)).isEqualTo(Plan.WALK_ON);
    }

    @Test
    void aRareQueryTakesAllMatchesFromTheIndex() {
        // 0.05%: the page is about 100,000 rows further on; the index holds about 500 matches.
        assertThat(Plan.choose(true, 1, 2_000, 998_000, 50)).isEqualTo(Plan.ALL_MATCHES);
    }

    @Test
    void withoutATrigramOnlyAQueryTooRareToWalkForReadsEveryOlderRow() {
        // 0.05%: 100,000 rows walked against 998,000 read in table order at half the cost.
        assertThat(Plan.choose(false, 1, 2_000, 998_000, 50)).isEqualTo(Plan.WALK_ON);
        // The same frequency where few rows are left: reading them all is cheaper.
        assertThat(Plan.choose(false, 1, 2_000, 50_000, 50)).isEqualTo(Plan.ALL_MATCHES);
    }

    @Test
    void aSmallTableTakesAllMatchesForWhatIsLeft() {
        assertThat(Plan.choose(true, 10, 1_000, 100, 41)).isEqualTo(Plan.ALL_MATCHES);
    }

    @Test
    void takingEveryMatchGivesWayAtFourTimesWhatTheSampleLetExpect() {
        // 5 of 2,000 newest: about 2,500 older matches expected.
        assertThat(PhraseSearch.matchLimit(5, 2_000, 1_000_000)).isEqualTo(10_000);
        // None in the sample: at most one, so about 500 expected; never below the floor.
        assertThat(PhraseSearch.matchLimit(0, 2_000, 1_000_000)).isEqualTo(PhraseSearch.MIN_MATCH_LIMIT * 2);
        assertThat(PhraseSearch.matchLimit(0, 2_000, 3_000)).isEqualTo(PhraseSearch.MIN_MATCH_LIMIT);
    }

    @Test
    void theWalkWindowHoldsTwiceTheMissingMatchesAndGrowsAtLeastGeometrically() {
        // 1%: 40 missing matches are expected in 4,000 rows, walk 8,000.
        assertThat(PhraseSearch.walkWindow(20, 2_000, 0, 40)).isEqualTo(8_000);
        // 0.05%: far more than walked.
        assertThat(PhraseSearch.walkWindow(1, 2_000, 0, 1)).isEqualTo(4_000);
        // The page is near: still at least as many rows as walked so far.
        assertThat(PhraseSearch.walkWindow(1_000, 2_000, 0, 10)).isEqualTo(2_000);
        // Nothing found, but taking every match showed that more than a sixteenth of the older rows match.
        assertThat(PhraseSearch.walkWindow(0, 2_000, 1.0 / 16, 200)).isEqualTo(6_400);
    }
}
