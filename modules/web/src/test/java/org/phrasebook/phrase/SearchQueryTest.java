package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchQueryTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " \u00A0\u3000 ", "\u200B"})
    void blankIsNoSearch(String raw) {
        assertThat(SearchQuery.parse(raw)).isEmpty();
        assertThat(SearchQuery.parse(null)).isEmpty();
    }

    @Test
    void isTrimmedAndNfcLikeAPhrase() {
        assertThat(SearchQuery.parse("  cafe\u0301 ")).hasValue(new SearchQuery("café"));
    }

    @Test
    void hasAtMost100CodePoints() {
        assertThat(SearchQuery.parse("😀".repeat(100))).isPresent();
        assertThatThrownBy(() -> SearchQuery.parse("a".repeat(101))).isInstanceOfSatisfying(InvalidSearchException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.TOO_LONG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\u0000", "x\u0085y"})
    void controlCharactersAreRefused(String raw) {
        assertThatThrownBy(() -> SearchQuery.parse(raw)).isInstanceOfSatisfying(InvalidSearchException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.CONTROL_CHARACTER));
    }

    @Test
    void loneSurrogatesAreRefused() {
        assertThatThrownBy(() -> SearchQuery.parse("x\ud83d")).isInstanceOfSatisfying(InvalidSearchException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.LONE_SURROGATE));
    }

    @Test
    void thePatternIsLiteralAndIgnoresCase() {
        Pattern pattern = new SearchQuery("50%_(a)\\").pattern();
        assertThat(pattern.matcher("X 50%_(A)\\ y").find()).isTrue();
        assertThat(pattern.matcher("5000 a").find()).isFalse();
        assertThat(new SearchQuery("ÉTÉ").pattern().matcher("un été").find()).isTrue();
    }

    @Test
    void partsCutTheTextAroundEveryMatch() {
        assertThat(PhraseView.parts("Hola hola, HOLA!", new SearchQuery("hola").pattern())).containsExactly(
                new PhraseView.Part("Hola", true), new PhraseView.Part(" ", false), new PhraseView.Part("hola", true),
                new PhraseView.Part(", ", false), new PhraseView.Part("HOLA", true), new PhraseView.Part("!", false));
        assertThat(PhraseView.parts("nada", new SearchQuery("x").pattern()))
                .containsExactly(new PhraseView.Part("nada", false));
    }
}
