package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhraseTextTest {

    @Test
    void trimsSurroundingWhiteSpaceIncludingUnicodeSpaces() {
        assertThat(PhraseText.parse("  Gracias \t").value()).isEqualTo("Gracias");
        assertThat(PhraseText.parse("\u3000hola\u2003").value()).isEqualTo("hola");
    }

    @Test
    void trimsNoBreakSpacesToo() {
        assertThat(PhraseText.parse("\u00A0hola\u202F").value()).isEqualTo("hola");
    }

    @Test
    void keepsInvisibleCharactersInsideAVisiblePhrase() {
        assertThat(PhraseText.parse("a\u200Bb").value()).isEqualTo("a\u200Bb");
    }

    @Test
    void keepsInnerWhiteSpace() {
        assertThat(PhraseText.parse("hola   mundo").value()).isEqualTo("hola   mundo");
    }

    @Test
    void normalizesToNfc() {
        String decomposed = "n\u0303and\u00fa"; // n + combining tilde
        assertThat(PhraseText.parse(decomposed).value()).isEqualTo("ñandú").hasSize(5);
    }

    @Test
    void countsCodePointsSoAnEmojiCountsOnce() {
        String emoji280 = "😀".repeat(280); // 560 UTF-16 chars
        assertThat(PhraseText.parse(emoji280).value()).isEqualTo(emoji280);
        assertThatThrownBy(() -> PhraseText.parse(emoji280 + "a"))
                .isInstanceOfSatisfying(InvalidPhraseException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.TOO_LONG));
    }

    @Test
    void countsAfterNfcSoCombiningSequencesThatComposeFit() {
        // 280 "é" written as e + U+0301 are 560 code points before NFC and 280 after.
        String decomposed = "e\u0301".repeat(280);
        assertThat(PhraseText.parse(decomposed).value()).isEqualTo("é".repeat(280));
    }

    @Test
    void acceptsExactly280AndRejects281() {
        assertThat(PhraseText.parse("a".repeat(280)).value()).hasSize(280);
        assertThatThrownBy(() -> PhraseText.parse("a".repeat(281))).isInstanceOf(InvalidPhraseException.class);
    }

    @Test
    void measuresLengthAfterTrimming() {
        assertThat(PhraseText.parse("  " + "a".repeat(280) + "  ").value()).hasSize(280);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t\n", "\u3000", "\u00A0", "\u202F\u2007", "\u200B", "\uFEFF", " \u2060 "})
    void rejectsBlank(String blank) {
        assertThatThrownBy(() -> PhraseText.parse(blank))
                .isInstanceOfSatisfying(InvalidPhraseException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.BLANK));
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> PhraseText.parse(null)).isInstanceOf(InvalidPhraseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\ud83d", "\ud83d", "\ude00", "a\ude00\ud83db", "\ud83d\ud83d"})
    void rejectsLoneSurrogates(String text) {
        assertThatThrownBy(() -> PhraseText.parse(text))
                .isInstanceOfSatisfying(InvalidPhraseException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.LONE_SURROGATE));
    }

    @Test
    void keepsSurrogatePairs() {
        assertThat(PhraseText.parse("x\ud83d\ude00").value()).isEqualTo("x😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\tb", "a\rb", "a\u001Fb", "a\u007Fb", "a\u0085b", "a\u009Fb"})
    void rejectsControlCharactersInside(String text) {
        assertThatThrownBy(() -> PhraseText.parse(text))
                .isInstanceOfSatisfying(InvalidPhraseException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.CONTROL_CHARACTER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "'; drop table phrase; --", "\"quotes\" & 'apostrophes'",
        "a\u00A0b", "a\u00A1b", "👍🏽", "👨‍👩‍👧"})
    void keepsEverythingElseExactly(String text) {
        assertThat(PhraseText.parse(text).value()).isEqualTo(text);
    }
}
